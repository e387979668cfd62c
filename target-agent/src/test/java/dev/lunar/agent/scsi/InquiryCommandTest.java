package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InquiryCommandTest {

  @Test
  void standardDataDescribesAnSpc4DiskFromLunar() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] d = f.send(0x12, 0, 0, 0, 255, 0).good().data();
      assertThat(d[0]).isEqualTo((byte) 0x00);
      assertThat(d[2]).isEqualTo((byte) 0x06);
      assertThat(d[3]).isEqualTo((byte) 0x12);
      assertThat(d[4] & 0xff).isEqualTo(d.length - 5);
      assertThat(d[7] & 0x02).isEqualTo(0x02);
      assertThat(new String(d, 8, 8, StandardCharsets.US_ASCII)).isEqualTo("LUNAR   ");
      assertThat(new String(d, 16, 16, StandardCharsets.US_ASCII)).isEqualTo("VIRTUAL-DISK    ");
      assertThat(Bytes.u16(d, 58)).isEqualTo(0x00A0);
      assertThat(Bytes.u16(d, 64)).isEqualTo(0x04C0);
    }
  }

  @Test
  void allocationLengthCutsTheData() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      assertThat(f.send(0x12, 0, 0, 0, 36, 0).good().data()).hasSize(36);
    }
  }

  @Test
  void pageCodeWithoutEvpdIsAnInvalidField() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0x12, 0, 0x80, 0, 255, 0).check(5, 0x24, 0).fieldPointer(2);
    }
  }

  @Test
  void unknownVpdPageIsAnInvalidField() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0x12, 1, 0xC7, 0, 255, 0).check(5, 0x24, 0).fieldPointer(2);
    }
  }

  @Test
  void supportedPagesListsTheBlockPages() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] d = f.send(0x12, 1, 0, 0, 255, 0).good().data();
      assertThat(d).startsWith(0, 0, 0, 6, 0x00, (byte) 0x80, (byte) 0x83, (byte) 0xB0);
    }
  }

  @Test
  void serialPageCarriesTgtsDefaultSerial() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] d = f.send(0x12, 1, 0x80, 0, 255, 0).good().data();
      assertThat(new String(d, 4, d.length - 4, StandardCharsets.US_ASCII)).isEqualTo("beaf11");
    }
  }

  @Test
  void deviceIdentificationHasNaaT10PortAndGroupDesignators() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] d = f.send(0x12, 1, 0x83, 0, 255, 0).good().data();
      assertThat(Bytes.u16(d, 2)).isEqualTo(d.length - 4);
      int at = 4;
      int[] types = new int[5];
      for (int i = 0; i < 5; i++) {
        types[i] = d[at + 1] & 0x0f;
        if (types[i] == 3) {
          assertThat(d[at + 4] >>> 4 & 0xf).isEqualTo(3);
        }
        if (types[i] == 1) {
          assertThat(new String(d, at + 4, d[at + 3], StandardCharsets.US_ASCII))
              .isEqualTo("IET     00010001");
        }
        if (types[i] == 4) {
          assertThat(Bytes.u16(d, at + 6)).isEqualTo(1);
        }
        at += 4 + (d[at + 3] & 0xff);
      }
      assertThat(types).containsExactly(3, 1, 4, 5, 8);
      assertThat(at).isEqualTo(d.length);
    }
  }

  @Test
  void blockLimitsAndProvisioningReflectAThinDisk() throws Exception {
    try (UnitFixture f = UnitFixture.disk(UnitFixture.spec(false, true, 512))) {
      byte[] limits = f.send(0x12, 1, 0xB0, 0, 255, 0).good().data();
      assertThat(Bytes.u16(limits, 2)).isEqualTo(0x3C);
      assertThat(Bytes.u32(limits, 8)).isEqualTo(16L * 1024 * 1024 / 512);
      assertThat(Bytes.u32(limits, 20)).isPositive();
      byte[] lbp = f.send(0x12, 1, 0xB2, 0, 255, 0).good().data();
      assertThat(lbp[5] & 0x80).isEqualTo(0x80);
      assertThat(lbp[6] & 0x07).isEqualTo(2);
      byte[] chars = f.send(0x12, 1, 0xB1, 0, 255, 0).good().data();
      assertThat(Bytes.u16(chars, 4)).isEqualTo(1);
    }
  }

  @Test
  void blockLimitsAdvertiseTheAllocationUnitAsUnmapGranularityButNoTransferGranularity()
      throws Exception {
    try (UnitFixture f = UnitFixture.disk(UnitFixture.spec(false, true, 512))) {
      byte[] limits = f.send(0x12, 1, 0xB0, 0, 255, 0).good().data();
      assertThat(Bytes.u16(limits, 6)).as("optimal transfer length granularity").isZero();
      assertThat(Bytes.u32(limits, 28)).as("optimal unmap granularity").isEqualTo(8);
      assertThat(Bytes.u32(limits, 32)).as("UGAVALID, alignment 0").isEqualTo(0x80000000L);
    }
  }

  @Test
  void blockLimitsFollowLargerPhysicalBlocks() throws Exception {
    Disk disk =
        new Disk(
            new dev.lunar.agent.storage.MemoryBackingStore(1 << 20),
            512,
            16384,
            false,
            true,
            new ModeState(null));
    try (UnitFixture f = UnitFixture.disk(disk)) {
      byte[] limits = f.send(0x12, 1, 0xB0, 0, 255, 0).good().data();
      assertThat(Bytes.u16(limits, 6)).as("optimal transfer length granularity").isEqualTo(32);
      assertThat(Bytes.u32(limits, 28)).as("optimal unmap granularity").isEqualTo(32);
    }
  }

  @Test
  void controllerIsAStorageArrayControllerWithoutBlockPages() {
    try (LogicalUnit controller = LogicalUnits.controller(UnitFixture.CONTEXT)) {
      ScsiResult r =
          controller.execute(
              new ScsiRequest(
                  UnitFixture.NEXUS, new byte[] {0x12, 0, 0, 0, 36, 0}, null, 36, 1, 1));
      assertThat(r.dataIn().getByte(0)).isEqualTo((byte) 0x0C);
      r.dataIn().release();
      ScsiResult vpd =
          controller.execute(
              new ScsiRequest(
                  UnitFixture.NEXUS, new byte[] {0x12, 1, (byte) 0xB0, 0, 36, 0}, null, 36, 1, 2));
      assertThat(vpd.status()).isEqualTo(ScsiResult.CHECK_CONDITION);
    }
  }
}
