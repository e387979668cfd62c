package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Asynchronous Message, target to initiator (RFC 7143 section 11.9).
 *
 * <pre>
 * byte 0 0x32   byte 1 0x80
 * 8-15  LUN     16-19 0xffffffff    20-23 reserved      24-27 StatSN
 * 28-31 ExpCmdSN                    32-35 MaxCmdSN
 * 36 AsyncEvent 37 AsyncVCode       38-39 Parameter1    40-41 Parameter2
 * 42-43 Parameter3                  44-47 reserved
 * data  sense data (event 0) or iSCSI event data
 * </pre>
 */
public record AsyncMessage(
    long lun,
    int statSn,
    int expCmdSn,
    int maxCmdSn,
    int asyncEvent,
    int asyncVCode,
    int parameter1,
    int parameter2,
    int parameter3,
    ByteBuf data)
    implements Pdu {

  public AsyncMessage {
    Objects.requireNonNull(data, "data");
  }

  @Override
  public Opcode opcode() {
    return Opcode.ASYNC_MESSAGE;
  }

  @Override
  public void writeBhs(ByteBuf out) {
    Bhs.writeStart(out, opcode(), false, Bhs.FINAL, 0, 0, 0, data);
    out.writeLong(lun);
    out.writeInt(0xffff_ffff);
    out.writeZero(4);
    out.writeInt(statSn);
    out.writeInt(expCmdSn);
    out.writeInt(maxCmdSn);
    out.writeByte(asyncEvent);
    out.writeByte(asyncVCode);
    out.writeShort(parameter1);
    out.writeShort(parameter2);
    out.writeShort(parameter3);
    out.writeZero(4);
  }

  static AsyncMessage decode(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    return new AsyncMessage(
        bhs.getLong(8),
        bhs.getInt(24),
        bhs.getInt(28),
        bhs.getInt(32),
        bhs.getUnsignedByte(36),
        bhs.getUnsignedByte(37),
        bhs.getUnsignedShort(38),
        bhs.getUnsignedShort(40),
        bhs.getUnsignedShort(42),
        data);
  }
}
