package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** MODE SELECT, reservations, medium commands and REPORT SUPPORTED OPERATION CODES. */
class SpcCommandsTest {

  private static byte[] cachingSelect(boolean wce) {
    byte[] list = new byte[4 + 20];
    list[4] = 0x08;
    list[5] = 0x12;
    list[6] = (byte) (wce ? 0x04 : 0);
    return list;
  }

  @Test
  void modeSelectTurnsTheWriteCacheOffAndTellsOtherNexuses() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.clearAttention(UnitFixture.OTHER);
      f.write(cachingSelect(false), 0x15, 0x10, 0, 0, 24, 0).good();
      byte[] d = f.send(0x1A, 0x08, 0x08, 0, 255, 0).good().data();
      assertThat(d[6] & 0x04).isZero();
      f.send(UnitFixture.OTHER, null, 0, 0, 0, 0, 0, 0).check(6, 0x2A, 0x01);
      f.write(new byte[512], 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0).good();
    }
  }

  @Test
  void modeSelectRejectsUnchangeableBitsAndShortLists() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] list = cachingSelect(true);
      list[6] |= 0x01;
      f.write(list, 0x15, 0x10, 0, 0, 24, 0).check(5, 0x26, 0);
      f.write(new byte[2], 0x15, 0x10, 0, 0, 2, 0).check(5, 0x1A, 0);
      byte[] unknown = cachingSelect(true);
      unknown[4] = 0x19;
      f.write(unknown, 0x15, 0x10, 0, 0, 24, 0).check(5, 0x26, 0);
    }
  }

  @Test
  void reserveMakesOtherNexusesConflictUntilRelease() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.clearAttention(UnitFixture.OTHER);
      f.send(0x16, 0, 0, 0, 0, 0).good();
      ScsiResult r = f.send(UnitFixture.OTHER, null, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0).result();
      assertThat(r.status()).isEqualTo(ScsiResult.RESERVATION_CONFLICT);
      f.send(UnitFixture.OTHER, null, 0x12, 0, 0, 0, 36, 0).good();
      assertThat(f.send(UnitFixture.OTHER, null, 0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0).result().status())
          .isEqualTo(ScsiResult.RESERVATION_CONFLICT);
      f.send(UnitFixture.OTHER, null, 0x17, 0, 0, 0, 0, 0).good();
      f.send(0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0).good();
      f.send(0x17, 0, 0, 0, 0, 0).good();
      f.send(UnitFixture.OTHER, null, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0).good();
    }
  }

  @Test
  void resetAndLostNexusReleaseTheReservation() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0x16, 0, 0, 0, 0, 0).good();
      f.unit.nexusLost(UnitFixture.NEXUS);
      f.clearAttention(UnitFixture.OTHER);
      f.send(UnitFixture.OTHER, null, 0x16, 0, 0, 0, 0, 0).good();
      f.unit.reset(ResetKind.LOGICAL_UNIT, UnitFixture.NEXUS);
      f.clearAttention(UnitFixture.NEXUS);
      f.send(0x16, 0, 0, 0, 0, 0).good();
    }
  }

  @Test
  void ejectIsRefusedWhileRemovalIsPrevented() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0x1E, 0, 0, 0, 1, 0).good();
      f.send(0x1B, 0, 0, 0, 0x02, 0).check(5, 0x53, 0x02);
      f.send(0x1B, 0, 0, 0, 0x01, 0).good();
      f.send(0x1E, 0, 0, 0, 0, 0).good();
      f.send(0x1B, 0, 0, 0, 0x02, 0).good();
      f.send(0x1E, 0, 0, 0, 2, 0).check(5, 0x24, 0);
    }
  }

  @Test
  void reportSupportedOpcodesListsReadCapacity16WithItsServiceAction() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] d = f.send(0xA3, 0x0C, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0).good().data();
      assertThat(Bytes.u32(d, 0)).isEqualTo(d.length - 4);
      boolean found = false;
      for (int at = 4; at < d.length; at += 8) {
        if ((d[at] & 0xff) == 0x9E && Bytes.u16(d, at + 2) == 0x10) {
          found = (d[at + 5] & 1) == 1 && Bytes.u16(d, at + 6) == 16;
        }
      }
      assertThat(found).isTrue();
    }
  }

  @Test
  void reportOneOpcodeGivesItsUsageData() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] d = f.send(0xA3, 0x0C, 0x01, 0x28, 0, 0, 0, 0, 1, 0, 0, 0).good().data();
      assertThat(d[1] & 0x07).isEqualTo(3);
      assertThat(Bytes.u16(d, 2)).isEqualTo(10);
      assertThat(d[4]).isEqualTo((byte) 0x28);
      byte[] unsupported = f.send(0xA3, 0x0C, 0x01, 0xE7, 0, 0, 0, 0, 1, 0, 0, 0).good().data();
      assertThat(unsupported[1] & 0x07).isEqualTo(1);
      f.send(0xA3, 0x0C, 0x01, 0x9E, 0, 0, 0, 0, 1, 0, 0, 0).check(5, 0x24, 0);
      byte[] rc16 = f.send(0xA3, 0x0C, 0x02, 0x9E, 0, 0x10, 0, 0, 1, 0, 0, 0).good().data();
      assertThat(rc16[5] & 0x1f).isEqualTo(0x10);
    }
  }
}
