package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.scsi.UnitFixture.Answer;
import org.junit.jupiter.api.Test;

class UnitAttentionTest {

  @Test
  void firstCommandOfANewNexusReportsPowerOnResetOnce() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(UnitFixture.OTHER, null, 0, 0, 0, 0, 0, 0).check(6, 0x29, 0);
      f.send(UnitFixture.OTHER, null, 0, 0, 0, 0, 0, 0).good();
    }
  }

  @Test
  void inquiryAndReportLunsDoNotConsumeTheAttention() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(UnitFixture.OTHER, null, 0x12, 0, 0, 0, 36, 0).good();
      f.send(UnitFixture.OTHER, null, 0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0).good();
      f.send(UnitFixture.OTHER, null, 0, 0, 0, 0, 0, 0).check(6, 0x29, 0);
    }
  }

  @Test
  void requestSenseReturnsThePendingAttentionAndClearsIt() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      Answer sense = f.send(UnitFixture.OTHER, null, 0x03, 0, 0, 0, 252, 0).good();
      assertThat(sense.data()[2] & 0x0f).isEqualTo(6);
      assertThat(sense.data()[12]).isEqualTo((byte) 0x29);
      byte[] none = f.send(UnitFixture.OTHER, null, 0x03, 0, 0, 0, 252, 0).good().data();
      assertThat(none[2] & 0x0f).isZero();
      f.send(UnitFixture.OTHER, null, 0, 0, 0, 0, 0, 0).good();
    }
  }

  @Test
  void requestSenseWithDescBitAnswersDescriptorFormat() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] d = f.send(0x03, 1, 0, 0, 252, 0).good().data();
      assertThat(d[0]).isEqualTo((byte) 0x72);
    }
  }

  @Test
  void resetRaisesTheAttentionForEveryNexus() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.clearAttention(UnitFixture.OTHER);
      f.unit.reset(ResetKind.LOGICAL_UNIT, UnitFixture.NEXUS);
      f.send(0, 0, 0, 0, 0, 0).check(6, 0x29, 0);
      f.send(UnitFixture.OTHER, null, 0, 0, 0, 0, 0, 0).check(6, 0x29, 0);
      f.send(0, 0, 0, 0, 0, 0).good();
    }
  }

  @Test
  void aLostNexusStartsOverWithPowerOnReset() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.unit.nexusLost(UnitFixture.NEXUS);
      f.send(0, 0, 0, 0, 0, 0).check(6, 0x29, 0);
    }
  }

  @Test
  void unknownOpcodeIsAnInvalidCommandOperationCode() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0xE7, 0, 0, 0, 0, 0).check(5, 0x20, 0);
    }
  }

  @Test
  void shortCdbIsAnInvalidFieldNotACrash() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0x88, 0, 0).check(5, 0x24, 0);
    }
  }

  @Test
  void controllerRejectsMediaCommands() {
    try (LogicalUnit controller = LogicalUnits.controller(UnitFixture.CONTEXT)) {
      byte[] tur = new byte[6];
      assertThat(
              controller.execute(new ScsiRequest(UnitFixture.NEXUS, tur, null, 0, 1, 1)).status())
          .isEqualTo(ScsiResult.CHECK_CONDITION);
      assertThat(
              controller.execute(new ScsiRequest(UnitFixture.NEXUS, tur, null, 0, 1, 2)).status())
          .isEqualTo(ScsiResult.GOOD);
      byte[] read10 = {0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0};
      ScsiResult r =
          controller.execute(new ScsiRequest(UnitFixture.NEXUS, read10, null, 512, 1, 3));
      assertThat(r.status()).isEqualTo(ScsiResult.CHECK_CONDITION);
      assertThat(new int[] {r.sense()[2], r.sense()[12]}).containsExactly(5, 0x20);
    }
  }
}
