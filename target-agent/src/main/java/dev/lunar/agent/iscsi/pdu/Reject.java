package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Reject, target to initiator (RFC 7143 section 11.17). {@code reason} is a {@link
 * RejectReason#value()}.
 *
 * <pre>
 * byte 0 0x3f   byte 1 0x80     byte 2 Reason
 * 8-15  reserved                16-19 0xffffffff    20-23 reserved
 * 24-27 StatSN  28-31 ExpCmdSN  32-35 MaxCmdSN      36-39 DataSN/R2TSN     40-47 reserved
 * data  the complete 48-byte BHS of the rejected PDU
 * </pre>
 */
public record Reject(
    int reason, int statSn, int expCmdSn, int maxCmdSn, int dataSnOrR2tSn, ByteBuf data)
    implements Pdu {

  public Reject {
    Objects.requireNonNull(data, "data");
  }

  @Override
  public Opcode opcode() {
    return Opcode.REJECT;
  }

  @Override
  public void writeBhs(ByteBuf out) {
    Bhs.writeStart(out, opcode(), false, Bhs.FINAL, reason, 0, 0, data);
    out.writeZero(8);
    out.writeInt(0xffff_ffff);
    out.writeZero(4);
    out.writeInt(statSn);
    out.writeInt(expCmdSn);
    out.writeInt(maxCmdSn);
    out.writeInt(dataSnOrR2tSn);
    out.writeZero(8);
  }

  static Reject decode(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    return new Reject(
        bhs.getUnsignedByte(2),
        bhs.getInt(24),
        bhs.getInt(28),
        bhs.getInt(32),
        bhs.getInt(36),
        data);
  }
}
