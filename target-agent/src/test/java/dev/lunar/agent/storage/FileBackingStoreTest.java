package dev.lunar.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBackingStoreTest {

  @TempDir Path dir;

  private Path sparseFile(long size) throws IOException {
    return StoreTesting.sparseFile(dir.resolve("disk.img"), size);
  }

  private static byte[] read(BackingStore store, long offset, int length) throws IOException {
    return StoreTesting.read(store, offset, length);
  }

  @Test
  void writesAndReadsAtByteOffsets() throws IOException {
    try (FileBackingStore store = FileBackingStore.open(sparseFile(1 << 20), false)) {
      assertThat(store.size()).isEqualTo(1 << 20);
      byte[] data = new byte[4096];
      Arrays.fill(data, (byte) 0x5A);
      store.write(8192, Unpooled.wrappedBuffer(data));
      store.flush();
      assertThat(read(store, 8192, 4096)).isEqualTo(data);
      assertThat(read(store, 0, 16)).containsOnly(0);
    }
  }

  @Test
  void missingFileFailsWithItsPathInTheMessage() {
    Path missing = dir.resolve("nope.img");
    assertThatThrownBy(() -> FileBackingStore.open(missing, false))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("nope.img")
        .hasMessageContaining("does not exist");
  }

  @Test
  void directoryIsRefused() {
    assertThatThrownBy(() -> FileBackingStore.open(dir, true))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("neither a regular file nor a block device");
  }

  @Test
  void readOnlyStoreRefusesWrites() throws IOException {
    try (FileBackingStore store = FileBackingStore.open(sparseFile(4096), true)) {
      assertThatThrownBy(() -> store.write(0, Unpooled.wrappedBuffer(new byte[512])))
          .isInstanceOf(StoreReadOnlyException.class);
    }
  }

  @Test
  void punchingAHoleFreesBlocksAndReadsZeros() throws Exception {
    Path file = sparseFile(8 << 20);
    try (FileBackingStore store = FileBackingStore.open(file, false)) {
      byte[] data = new byte[4 << 20];
      Arrays.fill(data, (byte) 1);
      store.write(0, Unpooled.wrappedBuffer(data));
      store.flush();
      long before = StoreTesting.allocatedBlocks(file);
      store.punchHole(0, 4 << 20);
      long after = StoreTesting.allocatedBlocks(file);
      assertThat(after).isLessThan(before);
      assertThat(read(store, 0, 4096)).containsOnly(0);
      assertThat(store.size()).isEqualTo(8 << 20);
    }
  }

  @Test
  void aPathReplacedSinceOpeningIsNotPunchedThrough() throws Exception {
    Path file = sparseFile(1 << 20);
    try (FileBackingStore store = FileBackingStore.open(file, false)) {
      Path moved = dir.resolve("moved.img");
      Files.move(file, moved);
      byte[] ones = new byte[1 << 20];
      Arrays.fill(ones, (byte) 1);
      Files.write(file, ones);

      assertThatThrownBy(() -> store.punchHole(0, 4096))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("no longer the file that was opened");
      assertThat(Files.readAllBytes(file)).containsOnly(1);
    }
  }

  @Test
  void aFileRenamedBackAfterOpeningIsStillPunched() throws Exception {
    Path file = sparseFile(1 << 20);
    try (FileBackingStore store = FileBackingStore.open(file, false)) {
      byte[] ones = new byte[8192];
      Arrays.fill(ones, (byte) 1);
      store.write(0, Unpooled.wrappedBuffer(ones));
      Path moved = dir.resolve("moved.img");
      Files.move(file, moved);
      Files.move(moved, file);

      store.punchHole(0, 4096);

      assertThat(read(store, 0, 4096)).containsOnly(0);
      assertThat(read(store, 4096, 4096)).containsOnly(1);
    }
  }

  @Test
  void aClosedStoreRefusesToPunch() throws Exception {
    FileBackingStore store = FileBackingStore.open(sparseFile(1 << 20), false);
    store.close();

    assertThatThrownBy(() -> store.punchHole(0, 4096)).isInstanceOf(ClosedChannelException.class);
  }

  @Test
  void extentsSeparateDataFromHoles() throws Exception {
    try (FileBackingStore store = FileBackingStore.open(sparseFile(8 << 20), false)) {
      store.write(1 << 20, Unpooled.wrappedBuffer(new byte[1 << 20]).writerIndex(1 << 20));
      store.flush();
      List<Extent> extents = store.extents(0, 8 << 20);
      assertThat(extents).extracting(Extent::allocated).containsExactly(false, true, false);
      assertThat(extents.get(1)).isEqualTo(new Extent(1 << 20, 1 << 20, true));
      assertThat(extents.getLast().end()).isEqualTo(8 << 20);
    }
  }

  @Test
  void writeZerosClearsARange() throws IOException {
    try (FileBackingStore store = FileBackingStore.open(sparseFile(1 << 20), false)) {
      byte[] data = new byte[8192];
      Arrays.fill(data, (byte) 9);
      store.write(0, Unpooled.wrappedBuffer(data));
      store.writeZeros(512, 1024);
      byte[] back = read(store, 0, 2048);
      assertThat(back[511]).isEqualTo((byte) 9);
      assertThat(Arrays.copyOfRange(back, 512, 1536)).containsOnly(0);
      assertThat(back[1536]).isEqualTo((byte) 9);
    }
  }
}
