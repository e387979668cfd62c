package dev.lunar.agent.storage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;

/** Helpers shared by the stores. */
final class StoreIo {

  private static final int ZERO_CHUNK = 1 << 20;

  private StoreIo() {}

  /**
   * A megabyte of zeros, created on first use: every read and write passes {@link #checkRange}, so
   * a field of this class would keep it in every daemon's heap, though few ever write zeros here.
   */
  private static final class Zeros {
    static final ByteBuf CHUNK =
        Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[ZERO_CHUNK]));
  }

  /** Writes zeros one megabyte at a time, for stores without a cheaper way. */
  static void writeZerosByChunks(BackingStore store, long offset, long length) throws IOException {
    long done = 0;
    while (done < length) {
      int chunk = (int) Math.min(ZERO_CHUNK, length - done);
      store.write(offset + done, Zeros.CHUNK.slice(0, chunk));
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
