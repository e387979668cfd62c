package dev.lunar.agent.storage;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.List;

/** Wraps a store and refuses every change to it. */
public final class ReadOnlyBackingStore implements BackingStore {

  private final BackingStore delegate;

  public ReadOnlyBackingStore(BackingStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public long size() {
    return delegate.size();
  }

  @Override
  public long refreshSize() throws IOException {
    return delegate.refreshSize();
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public FileSpan span(long offset, int length) throws IOException {
    return delegate.span(offset, length);
  }

  @Override
  public void read(long offset, ByteBuf dst, int length) throws IOException {
    delegate.read(offset, dst, length);
  }

  @Override
  public void write(long offset, ByteBuf src) throws IOException {
    throw new StoreReadOnlyException(delegate.toString());
  }

  @Override
  public void flush() {}

  @Override
  public void punchHole(long offset, long length) throws IOException {
    throw new StoreReadOnlyException(delegate.toString());
  }

  @Override
  public void writeZeros(long offset, long length) throws IOException {
    throw new StoreReadOnlyException(delegate.toString());
  }

  @Override
  public List<Extent> extents(long offset, long length) throws IOException {
    return delegate.extents(offset, length);
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  @Override
  public String toString() {
    return "ReadOnly[" + delegate + "]";
  }
}
