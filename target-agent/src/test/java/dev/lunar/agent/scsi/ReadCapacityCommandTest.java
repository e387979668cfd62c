package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.storage.MemoryBackingStore;
import org.junit.jupiter.api.Test;

class ReadCapacityCommandTest {

  @Test
  void readCapacity10ReportsLastLbaAndBlockSize() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] d = f.send(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0).good().data();
      assertThat(Bytes.u32(d, 0)).isEqualTo(2047);
      assertThat(Bytes.u32(d, 4)).isEqualTo(512);
    }
  }

  @Test
  void readCapacity10WithLbaButNoPmiIsAnInvalidField() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0x25, 0, 0, 0, 0, 1, 0, 0, 0, 0).check(5, 0x24, 0);
    }
  }

  @Test
  void readCapacity16ReportsLastLbaAndNoProvisioningOnAThickDisk() throws Exception {
    try (UnitFixture f = UnitFixture.disk(UnitFixture.spec(false, false, 4096))) {
      byte[] d = f.send(0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0).good().data();
      assertThat(d).hasSize(32);
      assertThat(Bytes.u64(d, 0)).isEqualTo(255);
      assertThat(Bytes.u32(d, 8)).isEqualTo(4096);
      assertThat(d[14] & 0x80).isZero();
    }
  }

  @Test
  void readCapacity16SetsLbpmeOnAThinDisk() throws Exception {
    try (UnitFixture f = UnitFixture.disk(UnitFixture.spec(false, true, 512))) {
      byte[] d = f.send(0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0).good().data();
      assertThat(d[14] & 0xC0).isEqualTo(0xC0);
    }
  }

  @Test
  void readCapacity16ReportsOneLogicalBlockPerPhysicalBlockForAStoreWithoutLargerSectors()
      throws Exception {
    try (UnitFixture f = UnitFixture.disk(UnitFixture.spec(false, true, 512))) {
      byte[] d = f.send(0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0).good().data();
      assertThat(d[13] & 0x0F).as("LBPPBE").isZero();
      assertThat(Bytes.u16(d, 14) & 0x3FFF).as("lowest aligned LBA").isZero();
    }
  }

  @Test
  void readCapacity16ReportsTheExponentOfABackingWithLargerPhysicalBlocks() throws Exception {
    Disk disk =
        new Disk(new MemoryBackingStore(1 << 20), 512, 4096, false, true, new ModeState(null));
    try (UnitFixture f = UnitFixture.disk(disk)) {
      byte[] d = f.send(0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0).good().data();
      assertThat(d[13] & 0x0F).as("LBPPBE: 8 logical blocks per physical block").isEqualTo(3);
    }
  }

  @Test
  void readCapacity16ReportsTheExponentTheSpecAsksFor() throws Exception {
    try (UnitFixture f = UnitFixture.disk(UnitFixture.spec(false, true, 512).withLbppbe(3))) {
      byte[] d = f.send(0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0).good().data();
      assertThat(d[13] & 0x0F).as("LBPPBE from tgtadm's lbppbe=3").isEqualTo(3);
    }
  }

  @Test
  void unknownServiceActionIsAnInvalidField() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0x9E, 0x1F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0)
          .check(5, 0x24, 0)
          .fieldPointer(1);
    }
  }
}
