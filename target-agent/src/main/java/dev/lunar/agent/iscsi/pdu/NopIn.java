package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * NOP-In, target to initiator (RFC 7143 section 11.19).
 *
 * <pre>
 * byte 0 0x20   byte 1 0x80 (F)
 * 8-15  LUN     16-19 ITT       20-23 TTT       24-27 StatSN
 * 28-31 ExpCmdSN                32-35 MaxCmdSN  36-47 reserved
 * data  ping data echoed back
 * </pre>
 */
public record NopIn(
    long lun, int itt, int ttt, int statSn, int expCmdSn, int maxCmdSn, ByteBuf data)
    implements Pdu {

  public NopIn {
    Objects.requireNonNull(data, "data");
  }

  @Override
  public Opcode opcode() {
    return Opcode.NOP_IN;
  }

  @Override
  public void writeBhs(ByteBuf out) {
    Bhs.writeStart(out, opcode(), false, Bhs.FINAL, 0, 0, 0, data);
    out.writeLong(lun);
    out.writeInt(itt);
    out.writeInt(ttt);
    out.writeInt(statSn);
    out.writeInt(expCmdSn);
    out.writeInt(maxCmdSn);
    out.writeZero(12);
  }

  static NopIn decode(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    return new NopIn(
        bhs.getLong(8),
        bhs.getInt(16),
        bhs.getInt(20),
        bhs.getInt(24),
        bhs.getInt(28),
        bhs.getInt(32),
        data);
  }
}
