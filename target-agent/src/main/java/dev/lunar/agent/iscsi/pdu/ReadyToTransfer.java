package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * Ready To Transfer (R2T), target to initiator (RFC 7143 section 11.8).
 *
 * <pre>
 * byte 0 0x31   byte 1 0x80 (F)
 * 8-15  LUN     16-19 ITT       20-23 TTT       24-27 StatSN
 * 28-31 ExpCmdSN                32-35 MaxCmdSN  36-39 R2TSN
 * 40-43 Buffer Offset           44-47 Desired Data Transfer Length
 * </pre>
 */
public record ReadyToTransfer(
    long lun,
    int itt,
    int ttt,
    int statSn,
    int expCmdSn,
    int maxCmdSn,
    int r2tSn,
    int bufferOffset,
    int desiredDataTransferLength)
    implements Pdu {

  @Override
  public Opcode opcode() {
    return Opcode.R2T;
  }

  @Override
  public void writeBhs(ByteBuf out) {
    Bhs.writeStart(out, opcode(), false, Bhs.FINAL, 0, 0, 0, data());
    out.writeLong(lun);
    out.writeInt(itt);
    out.writeInt(ttt);
    out.writeInt(statSn);
    out.writeInt(expCmdSn);
    out.writeInt(maxCmdSn);
    out.writeInt(r2tSn);
    out.writeInt(bufferOffset);
    out.writeInt(desiredDataTransferLength);
  }

  static ReadyToTransfer decode(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    return new ReadyToTransfer(
        bhs.getLong(8),
        bhs.getInt(16),
        bhs.getInt(20),
        bhs.getInt(24),
        bhs.getInt(28),
        bhs.getInt(32),
        bhs.getInt(36),
        bhs.getInt(40),
        bhs.getInt(44));
  }
}
