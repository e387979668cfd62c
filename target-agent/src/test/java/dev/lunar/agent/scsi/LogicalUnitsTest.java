package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.storage.StoreTesting;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogicalUnitsTest {

  @TempDir Path dir;

  private static LunSpec rdwr(String path, boolean readOnly) {
    return new LunSpec(2, path, "rdwr", 0, 512, readOnly, false, null, null, true, false, 0);
  }

  @Test
  void rdwrOverAFileTakesItsSize() throws Exception {
    Path file = dir.resolve("lun.img");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(4 << 20);
    }
    try (LogicalUnit unit = LogicalUnits.open(rdwr(file.toString(), false), UnitFixture.CONTEXT)) {
      assertThat(unit.lun()).isEqualTo(2);
      assertThat(unit.sizeBytes()).isEqualTo(4 << 20);
      assertThat(unit.blockSize()).isEqualTo(512);
    }
  }

  @Test
  void missingBackingFileIsAClearIoException() {
    assertThatThrownBy(
            () ->
                LogicalUnits.open(
                    rdwr(dir.resolve("x.img").toString(), false), UnitFixture.CONTEXT))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("x.img does not exist");
  }

  @Test
  void nullStoreTakesTheSpecSize() throws Exception {
    LunSpec spec =
        new LunSpec(3, "anything", "null", 1 << 30, 4096, false, false, null, null, true, false, 0);
    try (LogicalUnit unit = LogicalUnits.open(spec, UnitFixture.CONTEXT)) {
      assertThat(unit.sizeBytes()).isEqualTo(1 << 30);
    }
  }

  @Test
  void unknownStoreTypeAndMissingSizeAreRefused() {
    LunSpec odd = new LunSpec(3, "x", "rbd", 0, 512, false, false, null, null, true, false, 0);
    assertThatThrownBy(() -> LogicalUnits.open(odd, UnitFixture.CONTEXT))
        .hasMessageContaining("unknown backing store type rbd");
    LunSpec sizeless =
        new LunSpec(3, null, "mem", 0, 512, false, false, null, null, true, false, 0);
    assertThatThrownBy(() -> LogicalUnits.open(sizeless, UnitFixture.CONTEXT))
        .hasMessageContaining("needs a size");
  }

  @Test
  void offlineUnitAnswersNotReady() throws Exception {
    LunSpec spec =
        new LunSpec(3, null, "mem", 1 << 20, 512, false, false, null, null, false, false, 0);
    try (UnitFixture f = UnitFixture.disk(spec)) {
      f.send(0x00, 0, 0, 0, 0, 0).check(2, 0x04, 0x03);
      f.send(0x12, 0, 0, 0, 36, 0).good();
    }
  }

  @Test
  void unmapOnAThinFileFreesItsBlocks() throws Exception {
    Path file = dir.resolve("thin.img");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(8 << 20);
    }
    LunSpec spec =
        new LunSpec(4, file.toString(), "rdwr", 0, 512, false, true, null, null, true, false, 0);
    try (UnitFixture f = UnitFixture.disk(spec)) {
      f.write(new byte[2 << 20], 0x2A, 0, 0, 0, 0, 0, 0, 0x10, 0, 0).good();
      f.send(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0).good();
      long before = StoreTesting.allocatedBlocks(file);
      byte[] list = new byte[24];
      Bytes.putU16(list, 0, 22);
      Bytes.putU16(list, 2, 16);
      Bytes.putU32(list, 16, 4096);
      f.write(list, 0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0).good();
      assertThat(StoreTesting.allocatedBlocks(file)).isLessThan(before);
    }
  }

  @Test
  void growingTheFileRaisesCapacityChangedAndShowsTheNewSize() throws Exception {
    Path file = dir.resolve("grow.img");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(1 << 20);
    }
    try (UnitFixture f = UnitFixture.disk(rdwr(file.toString(), false))) {
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
        raf.setLength(2 << 20);
      }
      f.send(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0).check(6, 0x2A, 0x09);
      byte[] capacity = f.send(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0).good().data();
      assertThat(Bytes.u32(capacity, 0)).isEqualTo(4095);
    }
  }
}
