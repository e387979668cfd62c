package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrWriteAndDefectDataTest {

  private static byte[] filled(int value) {
    return UnitFixture.filled(512, value);
  }

  @Test
  void orWriteOrsTheDataIntoTheMedium() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.write(filled(0x0F), 0x2A, 0, 0, 0, 0, 4, 0, 0, 1, 0).good();
      f.write(filled(0xF0), 0x8B, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0).good();
      assertThat(f.send(0x28, 0, 0, 0, 0, 4, 0, 0, 1, 0).data()).isEqualTo(filled(0xFF));
    }
  }

  @Test
  void orWriteOutOfRangeAndReadOnlyFail() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.write(filled(1), 0x8B, 0, 0, 0, 0, 0, 0, 0, 0x08, 0, 0, 0, 0, 1, 0, 0).check(5, 0x21, 0);
    }
    try (UnitFixture f = UnitFixture.disk(UnitFixture.spec(true, false, 512))) {
      f.write(filled(1), 0x8B, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0).check(7, 0x27, 0);
    }
  }

  @Test
  void readDefectDataAnswersAnEmptyList() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] ten = f.send(0x37, 0, 0x18 | 0x05, 0, 0, 0, 0, 0, 4, 0).good().data();
      assertThat(ten).containsExactly(0, 0x1D, 0, 0);
      byte[] twelve = f.send(0xB7, 0x0D, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0).good().data();
      assertThat(twelve).hasSize(8);
      assertThat(Bytes.u32(twelve, 4)).isZero();
    }
  }
}
