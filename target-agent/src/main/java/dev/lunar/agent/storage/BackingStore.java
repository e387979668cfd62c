package dev.lunar.agent.storage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The bytes behind one logical unit: a file, a block device, memory, or nothing at all. Offsets are
 * byte offsets from the start of the store. Implementations are safe for concurrent use; the SCSI
 * layer serialises overlapping writes where the standard asks for atomicity.
 */
public interface BackingStore extends AutoCloseable {

  /** Size in bytes. */
  long size();

  /** Whether writes are refused. */
  boolean readOnly();

  /**
   * Appends {@code length} bytes read at {@code offset} to {@code dst}'s writer index. Bytes past
   * the end of the store read as zeros.
   */
  void read(long offset, ByteBuf dst, int length) throws IOException;

  /** Writes the readable bytes of {@code src} at {@code offset}, leaving its reader index alone. */
  void write(long offset, ByteBuf src) throws IOException;

  /**
   * The range as a {@link FileSpan} the transport can send straight from the file, or null when
   * this store has no file to send from (or the file no longer holds the whole range); the caller
   * then uses {@link #read}. The caller releases the span.
   */
  default FileSpan span(long offset, int length) throws IOException {
    return null;
  }

  /** Fills the remaining bytes of {@code dst} from {@code offset}, advancing its position. */
  default void read(long offset, ByteBuffer dst) throws IOException {
    int length = dst.remaining();
    read(offset, Unpooled.wrappedBuffer(dst).clear(), length);
    dst.position(dst.position() + length);
  }

  /** Writes the remaining bytes of {@code src} at {@code offset}, advancing its position. */
  default void write(long offset, ByteBuffer src) throws IOException {
    write(offset, Unpooled.wrappedBuffer(src));
    src.position(src.limit());
  }

  /**
   * Asks the underlying file or device for its size again (it may have been grown or shrunk by an
   * administrator) and returns it; {@link #size} answers the new value from then on.
   */
  default long refreshSize() throws IOException {
    return size();
  }

  /** Makes every completed write durable (fdatasync for files). */
  void flush() throws IOException;

  /**
   * Deallocates a byte range so that it reads as zeros and, where the store can, stops occupying
   * space. Stores that cannot deallocate write zeros instead.
   */
  default void punchHole(long offset, long length) throws IOException {
    writeZeros(offset, length);
  }

  /** Whether {@link #punchHole} actually frees space (thin provisioning can be offered). */
  default boolean canPunchHoles() {
    return false;
  }

  /** Writes zeros over a byte range. */
  default void writeZeros(long offset, long length) throws IOException {
    StoreIo.writeZerosByChunks(this, offset, length);
  }

  /**
   * Describes which parts of a byte range are allocated, in order and without gaps. Stores that do
   * not know report the whole range as allocated.
   */
  default List<Extent> extents(long offset, long length) throws IOException {
    return List.of(new Extent(offset, length, true));
  }

  @Override
  void close() throws IOException;
}
