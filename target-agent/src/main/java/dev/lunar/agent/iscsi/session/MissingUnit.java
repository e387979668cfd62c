package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.scsi.LogicalUnit;
import dev.lunar.agent.scsi.ScsiRequest;
import dev.lunar.agent.scsi.ScsiResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Answers for a LUN the target does not have (SPC-4 4.6.2): INQUIRY reports "no device here"
 * (peripheral qualifier 011b), REPORT LUNS is answered by LUN 0 as initiators expect, everything
 * else fails with LOGICAL UNIT NOT SUPPORTED.
 */
final class MissingUnit {

  private static final int INQUIRY = 0x12;
  private static final int REPORT_LUNS = 0xa0;
  private static final int ILLEGAL_REQUEST = 0x05;
  private static final int HARDWARE_ERROR = 0x04;

  private MissingUnit() {}

  static ScsiResult execute(ScsiRequest request, LogicalUnit controller) {
    return switch (request.opcode()) {
      case REPORT_LUNS ->
          controller != null ? controller.execute(request) : checkCondition(ILLEGAL_REQUEST, 0x25);
      case INQUIRY -> noDeviceInquiry();
      default -> checkCondition(ILLEGAL_REQUEST, 0x25);
    };
  }

  private static ScsiResult noDeviceInquiry() {
    ByteBuf data = Unpooled.buffer(36);
    data.writeByte(0x7f); // qualifier 011b: no unit can be addressed here; type 1Fh unknown
    data.writeByte(0);
    data.writeByte(0x06); // SPC-4
    data.writeByte(0x02);
    data.writeByte(31);
    data.writeZero(31);
    return new ScsiResult(ScsiResult.GOOD, data, null, 0);
  }

  /** The command could not be run at all: an internal failure of the target. */
  static ScsiResult targetFailure() {
    return checkCondition(HARDWARE_ERROR, 0x44); // INTERNAL TARGET FAILURE
  }

  /** A write announced more data than Lunar accepts in one command. */
  static ScsiResult transferTooLarge() {
    return checkCondition(ILLEGAL_REQUEST, 0x24); // INVALID FIELD IN CDB
  }

  /** CHECK CONDITION with fixed-format sense data (SPC-4 4.5.3), ASCQ 0. */
  static ScsiResult checkCondition(int senseKey, int asc) {
    byte[] sense = new byte[18];
    sense[0] = 0x70;
    sense[2] = (byte) senseKey;
    sense[7] = 10;
    sense[12] = (byte) asc;
    return new ScsiResult(ScsiResult.CHECK_CONDITION, null, sense, 0);
  }
}
