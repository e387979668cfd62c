package dev.lunar.agent.scsi;

import static dev.lunar.agent.scsi.Opcodes.INQUIRY;
import static dev.lunar.agent.scsi.Opcodes.REPORT_LUNS;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Answers for a LUN the target does not have (SPC-4 4.6.2): INQUIRY reports "no device here"
 * (peripheral qualifier 011b), REPORT LUNS is answered by LUN 0 as initiators expect, everything
 * else fails with LOGICAL UNIT NOT SUPPORTED.
 */
public final class MissingUnit {

  private MissingUnit() {}

  /**
   * @param controller the target's LUN 0, which answers REPORT LUNS; {@code null} when the target
   *     itself is gone
   */
  public static ScsiResult execute(ScsiRequest request, LogicalUnit controller) {
    return switch (request.opcode()) {
      case REPORT_LUNS ->
          controller != null
              ? controller.execute(request)
              : ScsiResult.checkCondition(SenseCode.LOGICAL_UNIT_NOT_SUPPORTED);
      case INQUIRY -> noDeviceInquiry();
      default -> ScsiResult.checkCondition(SenseCode.LOGICAL_UNIT_NOT_SUPPORTED);
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
}
