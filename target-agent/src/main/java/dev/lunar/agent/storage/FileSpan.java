package dev.lunar.agent.storage;

import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A byte range of a file-backed store, handed to the transport instead of a copy of its bytes so
 * that it can send them straight from the file ({@code sendfile}): the bytes are those in the file
 * when they leave for the socket. A span, and every region cut from it, keeps the store's
 * descriptor open until released, so a LUN closed while its answers are still queued never lets the
 * kernel send from a descriptor number reused by another file.
 */
public final class FileSpan {

  private final FileBackingStore store;
  private final long offset;
  private final int length;
  private final AtomicBoolean released = new AtomicBoolean();

  FileSpan(FileBackingStore store, long offset, int length) {
    this.store = store;
    this.offset = offset;
    this.length = length;
  }

  public int length() {
    return length;
  }

  /**
   * A region of {@code count} bytes from {@code from} within this span, to be written to a channel
   * (which releases it once sent). Each region keeps the store open on its own.
   */
  public FileRegion region(int from, int count) {
    if (from < 0 || count < 0 || count > length - from) {
      throw new IndexOutOfBoundsException("region " + from + "+" + count + " of " + length);
    }
    store.pin();
    return new PinnedRegion(store, store.channel(), offset + from, count);
  }

  /** Lets the store close; once, after the regions wanted are cut. */
  public void release() {
    if (released.compareAndSet(false, true)) {
      store.unpin();
    }
  }

  @Override
  public String toString() {
    return "FileSpan[" + store.path() + ", " + offset + "+" + length + "]";
  }

  /**
   * Netty's file region, which the native transports send with {@code sendfile}, except that
   * releasing it unpins the store instead of closing the store's channel.
   */
  private static final class PinnedRegion extends DefaultFileRegion {
    private final FileBackingStore store;

    PinnedRegion(FileBackingStore store, FileChannel channel, long position, long count) {
      super(channel, position, count);
      this.store = store;
    }

    @Override
    protected void deallocate() {
      store.unpin();
    }
  }
}
