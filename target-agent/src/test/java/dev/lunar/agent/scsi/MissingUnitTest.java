package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

/** What a LUN the target does not have answers (SPC-4 4.6.2), and the sense the transport sends. */
class MissingUnitTest {

  private static ScsiRequest request(int... cdb) {
    byte[] bytes = new byte[cdb.length];
    for (int i = 0; i < cdb.length; i++) {
      bytes[i] = (byte) cdb[i];
    }
    return new ScsiRequest(UnitFixture.NEXUS, bytes, null, 255, 1, 7);
  }

  @Test
  void inquiryReportsThatNoUnitCanBeAddressedHere() {
    ScsiResult result = MissingUnit.execute(request(Opcodes.INQUIRY, 0, 0, 0, 36, 0), null);
    ByteBuf data = result.dataIn();
    try {
      assertThat(result.status()).isEqualTo(ScsiResult.GOOD);
      assertThat(data.readableBytes()).isEqualTo(36);
      assertThat(data.getByte(0)).isEqualTo((byte) 0x7f);
    } finally {
      data.release();
    }
  }

  @Test
  void reportLunsIsAnsweredByTheController() {
    try (LogicalUnit controller = LogicalUnits.controller(UnitFixture.CONTEXT)) {
      ScsiResult result =
          MissingUnit.execute(
              request(Opcodes.REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0), controller);
      assertThat(result.status()).isEqualTo(ScsiResult.GOOD);
      assertThat(result.dataIn().getInt(0)).isEqualTo(3 * 8); // LUNs 0, 1 and 300
      result.dataIn().release();
    }
  }

  @Test
  void anyOtherCommandIsLogicalUnitNotSupportedInFixedFormat() {
    ScsiResult result = MissingUnit.execute(request(Opcodes.TEST_UNIT_READY, 0, 0, 0, 0, 0), null);
    assertThat(result.status()).isEqualTo(ScsiResult.CHECK_CONDITION);
    byte[] expected = new byte[18];
    expected[0] = 0x70;
    expected[2] = 0x05;
    expected[7] = 10;
    expected[12] = 0x25;
    assertThat(result.sense()).containsExactly(expected);
  }

  @Test
  void aTransportFailureCarriesItsSenseKeyAndCodes() {
    ScsiResult result = ScsiResult.checkCondition(SenseCode.DATA_PHASE_ERROR);
    assertThat(result.sense()[2]).isEqualTo((byte) 0x0b);
    assertThat(result.sense()[12]).isEqualTo((byte) 0x4b);
    assertThat(result.mediumError()).isFalse();
    assertThat(ScsiResult.checkCondition(SenseCode.UNRECOVERED_READ_ERROR).mediumError()).isTrue();
  }
}
