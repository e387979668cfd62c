package dev.lunar.agent.storage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;

/** Helpers shared by the stores. */
final class StoreIo {

  private static final int ZERO_CHUNK = 1 << 20;
  private static final ByteBuf ZEROS =
      Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[ZERO_CHUNK]));

  private StoreIo() {}

  /** Writes zeros one megabyte at a time, for stores without a cheaper way. */
  static void writeZerosByChunks(BackingStore store, long offset, long length) throws IOException {
    long done = 0;
    while (done < length) {
      int chunk = (int) Math.min(ZERO_CHUNK, length - done);
      store.write(offset + done, ZEROS.slice(0, chunk));
      done += chunk;
    }
  }

  /** Rejects ranges that are negative or overflow. */
  static void checkRange(long offset, long length) throws IOException {
    if (offset < 0 || length < 0 || offset + length < offset) {
      throw new IOException("invalid byte range " + offset + "+" + length);
    }
  }
}
