package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModeSenseCommandTest {

  @Test
  void cachingPageReportsWriteCacheEnabled() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] d = f.send(0x1A, 0x08, 0x08, 0, 255, 0).good().data();
      assertThat(d[0] & 0xff).isEqualTo(d.length - 1);
      assertThat(d[3]).isZero();
      assertThat(d[4]).as("caching page, PS set: savable").isEqualTo((byte) 0x88);
      assertThat(d[6] & 0x04).isEqualTo(0x04);
    }
  }

  @Test
  void allPagesWithBlockDescriptorListsRecoveryCachingAndControl() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] d = f.send(0x1A, 0, 0x3F, 0, 255, 0).good().data();
      assertThat(d[3]).isEqualTo((byte) 8);
      assertThat(Bytes.u32(d, 4)).isEqualTo(2048);
      assertThat(Bytes.u24(d, 9)).isEqualTo(512);
      assertThat(new int[] {d[12] & 0xff, d[24] & 0xff, d[44] & 0xff})
          .containsExactly(0x01, 0x88, 0x8A);
      assertThat(d).hasSize(12 + 12 + 20 + 12);
    }
  }

  @Test
  void modeSense10WithLongLbaUsesSixteenByteDescriptor() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] d = f.send(0x5A, 0x10, 0x0A, 0, 0, 0, 0, 1, 0, 0).good().data();
      assertThat(Bytes.u16(d, 0)).isEqualTo(d.length - 2);
      assertThat(d[4] & 1).isEqualTo(1);
      assertThat(Bytes.u16(d, 6)).isEqualTo(16);
      assertThat(Bytes.u64(d, 8)).isEqualTo(2048);
      assertThat(d[24]).isEqualTo((byte) 0x8A);
    }
  }

  @Test
  void readOnlyDiskSetsTheWpBit() throws Exception {
    try (UnitFixture f = UnitFixture.disk(UnitFixture.spec(true, false, 512))) {
      byte[] d = f.send(0x1A, 0x08, 0x3F, 0, 255, 0).good().data();
      assertThat(d[2] & 0x80).isEqualTo(0x80);
    }
  }

  @Test
  void savedValuesAreTheDefaultsUntilSomethingIsSaved() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] d = f.send(0x1A, 0x08, 0xC8, 0, 255, 0).good().data();
      assertThat(d[6] & 0x04).isEqualTo(0x04);
    }
  }

  @Test
  void unknownPageIsAnInvalidField() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0x1A, 0, 0x19, 0, 255, 0).check(5, 0x24, 0).fieldPointer(2);
      f.send(0x1A, 0, 0x08, 0x01, 255, 0).check(5, 0x24, 0).fieldPointer(3);
    }
  }
}
