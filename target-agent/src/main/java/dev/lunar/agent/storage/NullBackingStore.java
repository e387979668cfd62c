package dev.lunar.agent.storage;

import io.netty.buffer.ByteBuf;

/** tgt's {@code null} store: a fixed size, reads return zeros, writes are discarded. */
public final class NullBackingStore implements BackingStore {

  private final long size;

  public NullBackingStore(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative: " + size);
    }
    this.size = size;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public boolean readOnly() {
    return false;
  }

  @Override
  public void read(long offset, ByteBuf dst, int length) {
    dst.writeZero(length);
  }

  @Override
  public void write(long offset, ByteBuf src) {}

  @Override
  public void flush() {}

  @Override
  public void punchHole(long offset, long length) {}

  @Override
  public void writeZeros(long offset, long length) {}

  @Override
  public void close() {}
}
