package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * SNACK Request, initiator to target (RFC 7143 section 11.16).
 *
 * <pre>
 * byte 0 0x10   byte 1 1 . . . type(4): 0 Data/R2T, 1 Status, 2 DataACK, 3 R-Data
 * 8-15  LUN     16-19 ITT or 0xffffffff     20-23 TTT or SNACK Tag
 * 24-27 reserved                28-31 ExpStatSN     32-39 reserved
 * 40-43 BegRun  44-47 RunLength
 * </pre>
 */
public record SnackRequest(
    int type, long lun, int itt, int ttt, int expStatSn, int begRun, int runLength) implements Pdu {

  @Override
  public Opcode opcode() {
    return Opcode.SNACK_REQUEST;
  }

  @Override
  public void writeBhs(ByteBuf out) {
    Bhs.writeStart(out, opcode(), false, Bhs.FINAL | (type & 0x0f), 0, 0, 0, data());
    out.writeLong(lun);
    out.writeInt(itt);
    out.writeInt(ttt);
    out.writeZero(4);
    out.writeInt(expStatSn);
    out.writeZero(8);
    out.writeInt(begRun);
    out.writeInt(runLength);
  }

  static SnackRequest decode(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    return new SnackRequest(
        bhs.getByte(1) & 0x0f,
        bhs.getLong(8),
        bhs.getInt(16),
        bhs.getInt(20),
        bhs.getInt(28),
        bhs.getInt(40),
        bhs.getInt(44));
  }
}
