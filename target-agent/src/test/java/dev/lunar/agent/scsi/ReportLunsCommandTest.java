package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportLunsCommandTest {

  @Test
  void listsTheTargetsLunsWithFlatAddressingAbove255() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] d = f.send(0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0).good().data();
      assertThat(Bytes.u32(d, 0)).isEqualTo(24);
      assertThat(d).hasSize(32);
      assertThat(Bytes.u16(d, 8)).isEqualTo(0);
      assertThat(Bytes.u16(d, 16)).isEqualTo(1);
      assertThat(Bytes.u16(d, 24)).isEqualTo(0x4000 | 300);
    }
  }

  @Test
  void allocationBelowSixteenIsAnInvalidField() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 15, 0, 0).check(5, 0x24, 0).fieldPointer(6);
    }
  }

  @Test
  void unknownSelectReportIsAnInvalidField() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0xA0, 0, 0x05, 0, 0, 0, 0, 0, 1, 0, 0, 0).check(5, 0x24, 0).fieldPointer(2);
    }
  }
}
