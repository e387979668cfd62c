package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ThinProvisioningTest {

  /** An UNMAP parameter list with one descriptor per (lba, blocks) pair. */
  private static byte[] unmapList(long... pairs) {
    int count = pairs.length / 2;
    byte[] list = new byte[8 + 16 * count];
    Bytes.putU16(list, 0, list.length - 2);
    Bytes.putU16(list, 2, 16 * count);
    for (int i = 0; i < count; i++) {
      Bytes.putU64(list, 8 + 16 * i, pairs[2 * i]);
      Bytes.putU32(list, 16 + 16 * i, pairs[2 * i + 1]);
    }
    return list;
  }

  @Test
  void unmapDeallocatesAndGetLbaStatusReportsIt() throws Exception {
    try (UnitFixture f = UnitFixture.disk(UnitFixture.spec(false, true, 512))) {
      byte[] ones = new byte[256 * 512];
      Arrays.fill(ones, (byte) 1);
      f.write(ones, 0x2A, 0, 0, 0, 0, 0, 0, 1, 0, 0).good();
      byte[] list = unmapList(128, 128);
      f.write(list, 0x42, 0, 0, 0, 0, 0, 0, 0, list.length, 0).good();
      byte[] d = f.send(0x9E, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0).good().data();
      assertThat(Bytes.u64(d, 8)).isZero();
      assertThat(Bytes.u32(d, 16)).isEqualTo(128);
      assertThat(d[20]).isEqualTo((byte) 0);
      assertThat(Bytes.u64(d, 24)).isEqualTo(128);
      assertThat(d[36]).isEqualTo((byte) 1);
      assertThat(f.send(0x28, 0, 0, 0, 0, (byte) 128, 0, 0, 1, 0).data()).containsOnly(0);
    }
  }

  @Test
  void unmapOutOfRangeChangesNothing() throws Exception {
    try (UnitFixture f = UnitFixture.disk(UnitFixture.spec(false, true, 512))) {
      byte[] ones = new byte[512];
      Arrays.fill(ones, (byte) 1);
      f.write(ones, 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0).good();
      byte[] list = unmapList(0, 1, 2047, 2);
      f.write(list, 0x42, 0, 0, 0, 0, 0, 0, 0, list.length, 0).check(5, 0x21, 0);
      assertThat(f.send(0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0).data()).isEqualTo(ones);
    }
  }

  @Test
  void unmapWithShortParameterListIsALengthError() throws Exception {
    try (UnitFixture f = UnitFixture.disk(UnitFixture.spec(false, true, 512))) {
      f.write(new byte[4], 0x42, 0, 0, 0, 0, 0, 0, 0, 4, 0).check(5, 0x1A, 0);
    }
  }

  @Test
  void unmapWithBadDescriptorLengthIsAnInvalidParameter() throws Exception {
    try (UnitFixture f = UnitFixture.disk(UnitFixture.spec(false, true, 512))) {
      byte[] list = unmapList(0, 1);
      Bytes.putU16(list, 2, 15);
      f.write(list, 0x42, 0, 0, 0, 0, 0, 0, 0, list.length, 0).check(5, 0x26, 0);
    }
  }

  @Test
  void unmapIsUnknownOnAThickDisk() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] list = unmapList(0, 1);
      f.write(list, 0x42, 0, 0, 0, 0, 0, 0, 0, list.length, 0).check(5, 0x20, 0);
    }
  }

  @Test
  void getLbaStatusPastTheEndIsOutOfRange() throws Exception {
    try (UnitFixture f = UnitFixture.disk(UnitFixture.spec(false, true, 512))) {
      f.send(0x9E, 0x12, 0, 0, 0, 0, 0, 0, 0x08, 0, 0, 0, 1, 0, 0, 0).check(5, 0x21, 0);
    }
  }
}
