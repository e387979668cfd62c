package dev.lunar.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.FileRegion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSpanTest {

  @TempDir Path dir;

  private FileBackingStore storeWithPattern(int size) throws IOException {
    Path file = dir.resolve("disk.img");
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 7);
    }
    Files.write(file, bytes);
    return FileBackingStore.open(file, false);
  }

  private static byte[] drain(FileRegion region) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (WritableByteChannel sink = Channels.newChannel(out)) {
      while (region.transferred() < region.count()) {
        region.transferTo(sink, region.transferred());
      }
    }
    return out.toByteArray();
  }

  private static byte[] pattern(int from, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) ((from + i) * 7);
    }
    return bytes;
  }

  @Test
  void regionsCarryTheBytesOfTheirPartOfTheSpan() throws IOException {
    try (FileBackingStore store = storeWithPattern(1 << 20)) {
      FileSpan span = store.span(65536, 131072);
      assertThat(span.length()).isEqualTo(131072);
      FileRegion first = span.region(0, 65536);
      FileRegion second = span.region(65536, 65536);
      span.release();
      assertThat(drain(first)).isEqualTo(pattern(65536, 65536));
      assertThat(drain(second)).isEqualTo(pattern(131072, 65536));
      first.release();
      second.release();
    }
  }

  @Test
  void noSpanReachesPastTheEndOfTheFile() throws IOException {
    try (FileBackingStore store = storeWithPattern(65536)) {
      assertThat(store.span(61440, 8192)).isNull();
      // Shrunk under the store: the buffered read supplies zeros, a span would fail the socket.
      try (FileChannel channel =
          FileChannel.open(dir.resolve("disk.img"), StandardOpenOption.WRITE)) {
        channel.truncate(32768);
      }
      assertThat(store.span(16384, 32768)).isNull();
      assertThat(store.span(0, 32768)).isNotNull();
    }
  }

  @Test
  void aClosedStoreKeepsItsFileOpenUntilTheLastRegionIsReleased() throws IOException {
    FileBackingStore store = storeWithPattern(1 << 16);
    FileSpan span = store.span(0, 4096);
    FileRegion region = span.region(0, 4096);
    span.release();
    store.close();
    assertThat(store.channel().isOpen()).isTrue();
    assertThat(store.span(0, 4096)).isNull();
    assertThat(drain(region)).isEqualTo(pattern(0, 4096));
    region.release();
    assertThat(store.channel().isOpen()).isFalse();
  }

  @Test
  void anIdleStoreClosesAtOnce() throws IOException {
    FileBackingStore store = storeWithPattern(4096);
    store.span(0, 4096).release();
    store.close();
    store.close();
    assertThat(store.channel().isOpen()).isFalse();
  }

  @Test
  void releasingASpanTwiceUnpinsOnce() throws IOException {
    FileBackingStore store = storeWithPattern(4096);
    FileSpan span = store.span(0, 4096);
    FileRegion region = span.region(0, 4096);
    span.release();
    span.release();
    store.close();
    assertThat(store.channel().isOpen()).isTrue();
    region.release();
    assertThat(store.channel().isOpen()).isFalse();
  }
}
