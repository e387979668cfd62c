package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * NOP-Out, initiator to target (RFC 7143 section 11.18).
 *
 * <pre>
 * byte 0 . I 0x00     byte 1 0x80 (F)
 * 8-15  LUN           16-19 ITT (0xffffffff when answering a NOP-In)
 * 20-23 TTT           24-27 CmdSN       28-31 ExpStatSN     32-47 reserved
 * data  ping data
 * </pre>
 */
public record NopOut(
    boolean immediate, long lun, int itt, int ttt, int cmdSn, int expStatSn, ByteBuf data)
    implements Pdu {

  public NopOut {
    Objects.requireNonNull(data, "data");
  }

  @Override
  public Opcode opcode() {
    return Opcode.NOP_OUT;
  }

  @Override
  public void writeBhs(ByteBuf out) {
    Bhs.writeStart(out, opcode(), immediate, Bhs.FINAL, 0, 0, 0, data);
    out.writeLong(lun);
    out.writeInt(itt);
    out.writeInt(ttt);
    out.writeInt(cmdSn);
    out.writeInt(expStatSn);
    out.writeZero(16);
  }

  static NopOut decode(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    return new NopOut(
        Bhs.immediate(bhs),
        bhs.getLong(8),
        bhs.getInt(16),
        bhs.getInt(20),
        bhs.getInt(24),
        bhs.getInt(28),
        data);
  }
}
