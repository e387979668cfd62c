package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * Task Management Function Response, target to initiator (RFC 7143 section 11.6).
 *
 * <pre>
 * byte 0 0x22   byte 1 0x80     byte 2 Response
 * 8-15  reserved                16-19 ITT       20-23 reserved
 * 24-27 StatSN  28-31 ExpCmdSN  32-35 MaxCmdSN  36-47 reserved
 * </pre>
 */
public record TaskManagementResponse(int response, int itt, int statSn, int expCmdSn, int maxCmdSn)
    implements Pdu {

  @Override
  public Opcode opcode() {
    return Opcode.TASK_MANAGEMENT_RESPONSE;
  }

  @Override
  public void writeBhs(ByteBuf out) {
    Bhs.writeStart(out, opcode(), false, Bhs.FINAL, response, 0, 0, data());
    out.writeZero(8);
    out.writeInt(itt);
    out.writeZero(4);
    out.writeInt(statSn);
    out.writeInt(expCmdSn);
    out.writeInt(maxCmdSn);
    out.writeZero(12);
  }

  static TaskManagementResponse decode(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    return new TaskManagementResponse(
        bhs.getUnsignedByte(2), bhs.getInt(16), bhs.getInt(24), bhs.getInt(28), bhs.getInt(32));
  }
}
