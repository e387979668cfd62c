package dev.lunar.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MemoryBackingStoreTest {

  @Test
  void writesSpanningChunksReadBack() throws IOException {
    MemoryBackingStore store = new MemoryBackingStore(1 << 20);
    byte[] data = new byte[100_000];
    Arrays.fill(data, (byte) 3);
    store.write(60_000, Unpooled.wrappedBuffer(data));
    assertThat(StoreTesting.read(store, 60_000, 100_000)).isEqualTo(data);
    assertThat(StoreTesting.read(store, 0, 10)).containsOnly(0);
  }

  @Test
  void punchingWholeChunksMakesThemHoles() throws IOException {
    MemoryBackingStore store = new MemoryBackingStore(1 << 20);
    store.write(0, Unpooled.wrappedBuffer(new byte[256 * 1024]));
    store.punchHole(64 * 1024, 128 * 1024);
    assertThat(store.extents(0, 256 * 1024))
        .extracting(Extent::allocated)
        .containsExactly(true, false, true);
  }

  @Test
  void writePastTheEndFails() {
    MemoryBackingStore store = new MemoryBackingStore(1024);
    assertThatThrownBy(() -> store.write(1000, Unpooled.wrappedBuffer(new byte[100])))
        .isInstanceOf(IOException.class);
  }

  @Test
  void nullStoreReadsZerosAndDiscardsWrites() throws IOException {
    NullBackingStore store = new NullBackingStore(4096);
    byte[] ones = new byte[512];
    Arrays.fill(ones, (byte) 1);
    store.write(0, Unpooled.wrappedBuffer(ones));
    assertThat(StoreTesting.read(store, 0, 512)).containsOnly(0);
  }

  @Test
  void readOnlyWrapperRefusesChanges() {
    ReadOnlyBackingStore store = new ReadOnlyBackingStore(new MemoryBackingStore(4096));
    assertThat(store.readOnly()).isTrue();
    assertThatThrownBy(() -> store.punchHole(0, 512)).isInstanceOf(StoreReadOnlyException.class);
  }

  @Test
  void byteBufferReadsAndWritesAdvanceThePosition() throws IOException {
    MemoryBackingStore store = new MemoryBackingStore(4096);
    java.nio.ByteBuffer src = java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
    store.write(100, src);
    assertThat(src.hasRemaining()).isFalse();
    java.nio.ByteBuffer dst = java.nio.ByteBuffer.allocate(6);
    dst.position(1);
    store.read(99, dst);
    assertThat(dst.position()).isEqualTo(6);
    assertThat(dst.array()).containsExactly(0, 0, 1, 2, 3, 4);
  }
}
