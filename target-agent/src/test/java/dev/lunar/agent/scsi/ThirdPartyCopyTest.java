package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThirdPartyCopyTest {

  /** An EXTENDED COPY list: one identification CSCD naming {@code naa}, one block segment. */
  static byte[] copyList(
      int listId, int usage, long naa, int dest, int blocks, long from, long to) {
    byte[] list = new byte[16 + 32 + 28];
    list[0] = (byte) listId;
    list[1] = (byte) (usage << 3);
    Bytes.putU16(list, 2, 32);
    Bytes.putU32(list, 8, 28);
    list[16] = (byte) 0xE4;
    list[16 + 4] = 0x01;
    list[16 + 5] = 0x03;
    list[16 + 7] = 8;
    Bytes.putU64(list, 16 + 8, naa);
    Bytes.putU24(list, 16 + 29, 512);
    int s = 48;
    list[s] = 0x02;
    Bytes.putU16(list, s + 2, 0x18);
    Bytes.putU16(list, s + 6, dest);
    Bytes.putU16(list, s + 10, blocks);
    Bytes.putU64(list, s + 12, from);
    Bytes.putU64(list, s + 20, to);
    return list;
  }

  private static long naa(UnitFixture f) {
    return ((ScsiUnit) f.unit).identity().naa();
  }

  private static int[] xcopy(int length) {
    return new int[] {0x83, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, length, 0, 0};
  }

  @Test
  void extendedCopyCopiesBlocksWithinTheUnitAndHoldsItsStatus() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.write(UnitFixture.filled(4 * 512, 'A'), 0x2A, 0, 0, 0, 0, 0, 0, 0, 4, 0).good();
      byte[] list = copyList(7, 0, naa(f), 0, 4, 0, 100);
      f.write(list, xcopy(list.length)).good();
      assertThat(f.send(0x28, 0, 0, 0, 0, 100, 0, 0, 4, 0).data())
          .isEqualTo(UnitFixture.filled(4 * 512, 'A'));

      byte[] status = f.send(0x84, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0).good().data();
      assertThat(status[4]).isEqualTo((byte) 1);
      assertThat(Bytes.u16(status, 5)).isEqualTo(1);
      assertThat(Bytes.u32(status, 8)).isEqualTo(2);
    }
  }

  @Test
  void copyStatusOfAnUnknownListIsAnInvalidField() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0x84, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0).check(5, 0x24, 0);
    }
  }

  @Test
  void unreachableDescriptorOrRangeAbortsTheCopy() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] badIndex = copyList(1, 2, naa(f), 1, 4, 0, 100);
      f.write(badIndex, xcopy(badIndex.length)).check(0x0A, 0x0D, 0x02);
      byte[] unknown = copyList(1, 2, 0x3123L, 0, 4, 0, 100);
      f.write(unknown, xcopy(unknown.length)).check(0x0A, 0x0D, 0x02);
      byte[] beyond = copyList(1, 2, naa(f), 0, 4, 0, 2047);
      f.write(beyond, xcopy(beyond.length)).check(0x0A, 0, 0);
    }
  }

  @Test
  void malformedListsGetTheirOwnSense() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] list = copyList(1, 2, naa(f), 0, 1, 0, 1);
      byte[] truncated = java.util.Arrays.copyOf(list, 40);
      f.write(truncated, xcopy(truncated.length)).check(5, 0x1A, 0);
      byte[] fibreChannel = list.clone();
      fibreChannel[16] = (byte) 0xE0;
      f.write(fibreChannel, xcopy(list.length)).check(5, 0x26, 0x07);
      byte[] stream = list.clone();
      stream[48] = 0x03;
      f.write(stream, xcopy(list.length)).check(5, 0x26, 0x09);
      f.send(xcopy(0)).good();
    }
  }

  @Test
  void operatingParametersAdvertiseTheLimits() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] p = f.send(0x84, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0).good().data();
      assertThat(Bytes.u16(p, 8)).isEqualTo(ExtendedCopyCommand.MAX_CSCD_DESCRIPTORS);
      assertThat(Bytes.u16(p, 10)).isEqualTo(ExtendedCopyCommand.MAX_SEGMENT_DESCRIPTORS);
      assertThat(p[43]).isEqualTo((byte) 2);
    }
  }

  @Test
  void writeAtomicWritesTheWholeRangeAndRefusesBoundaries() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.write(UnitFixture.filled(1024, 7), 0x9C, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 2, 0, 0)
          .good();
      assertThat(f.send(0x28, 0, 0, 0, 0, 10, 0, 0, 2, 0).data())
          .isEqualTo(UnitFixture.filled(1024, 7));
      f.write(UnitFixture.filled(1024, 7), 0x9C, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 1, 0, 2, 0, 0)
          .check(5, 0x24, 0);
      f.write(
              UnitFixture.filled(512, 7),
              0x9C,
              0,
              0,
              0,
              0,
              0,
              0,
              0,
              0x07,
              (byte) 0xFF,
              0,
              0,
              0,
              2,
              0,
              0)
          .check(5, 0x21, 0);
    }
  }
}
