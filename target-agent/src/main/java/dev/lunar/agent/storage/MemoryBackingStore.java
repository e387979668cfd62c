package dev.lunar.agent.storage;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sparse in-memory store (tgt's {@code mem} type, and the store of the unit tests). Memory is
 * taken in 4 KiB chunks (the unmap granularity the units advertise) on first write, so a large,
 * mostly empty store stays cheap; punching a whole chunk frees it.
 */
public final class MemoryBackingStore implements BackingStore {

  static final int CHUNK = 4096;

  private final long size;
  private final Map<Long, byte[]> chunks = new HashMap<>();

  public MemoryBackingStore(long size) {
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
  public synchronized void read(long offset, ByteBuf dst, int length) throws IOException {
    StoreIo.checkRange(offset, length);
    long pos = offset;
    long end = offset + length;
    while (pos < end) {
      long index = pos / CHUNK;
      int within = (int) (pos % CHUNK);
      int n = (int) Math.min(CHUNK - within, end - pos);
      byte[] chunk = pos < size ? chunks.get(index) : null;
      if (chunk == null) {
        dst.writeZero(n);
      } else {
        dst.writeBytes(chunk, within, n);
      }
      pos += n;
    }
  }

  @Override
  public synchronized void write(long offset, ByteBuf src) throws IOException {
    int length = src.readableBytes();
    StoreIo.checkRange(offset, length);
    if (offset + length > size) {
      throw new IOException("write past the end of a " + size + "-byte store");
    }
    int srcIndex = src.readerIndex();
    long pos = offset;
    while (pos < offset + length) {
      int within = (int) (pos % CHUNK);
      int n = (int) Math.min(CHUNK - within, offset + length - pos);
      byte[] chunk = chunks.computeIfAbsent(pos / CHUNK, k -> new byte[CHUNK]);
      src.getBytes(srcIndex, chunk, within, n);
      srcIndex += n;
      pos += n;
    }
  }

  @Override
  public void flush() {}

  @Override
  public boolean canPunchHoles() {
    return true;
  }

  @Override
  public synchronized void punchHole(long offset, long length) throws IOException {
    StoreIo.checkRange(offset, length);
    long end = Math.min(offset + length, size);
    long pos = offset;
    while (pos < end) {
      long index = pos / CHUNK;
      int within = (int) (pos % CHUNK);
      int n = (int) Math.min(CHUNK - within, end - pos);
      if (n == CHUNK) {
        chunks.remove(index);
      } else {
        byte[] chunk = chunks.get(index);
        if (chunk != null) {
          java.util.Arrays.fill(chunk, within, within + n, (byte) 0);
        }
      }
      pos += n;
    }
  }

  @Override
  public void writeZeros(long offset, long length) throws IOException {
    punchHole(offset, length);
  }

  /** Reports whole chunks: a chunk that was ever written counts as allocated. */
  @Override
  public synchronized List<Extent> extents(long offset, long length) throws IOException {
    StoreIo.checkRange(offset, length);
    List<Extent> result = new ArrayList<>();
    long pos = offset;
    long end = offset + length;
    while (pos < end) {
      boolean allocated = chunks.containsKey(pos / CHUNK);
      long next = Math.min((pos / CHUNK + 1) * CHUNK, end);
      Extent last = result.isEmpty() ? null : result.getLast();
      if (last != null && last.allocated() == allocated) {
        result.set(result.size() - 1, new Extent(last.offset(), next - last.offset(), allocated));
      } else {
        result.add(new Extent(pos, next - pos, allocated));
      }
      pos = next;
    }
    return result;
  }

  @Override
  public synchronized void close() {
    chunks.clear();
  }

  @Override
  public String toString() {
    return "MemoryBackingStore[size=" + size + "]";
  }
}
