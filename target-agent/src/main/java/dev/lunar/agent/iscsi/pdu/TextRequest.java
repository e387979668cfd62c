package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Text Request, initiator to target (RFC 7143 section 11.10).
 *
 * <pre>
 * byte 0 . I 0x04   byte 1 F C . . . . . .   C = text continues in the next PDU
 * 8-15  LUN         16-19 ITT       20-23 TTT (0xffffffff unless continuing)
 * 24-27 CmdSN       28-31 ExpStatSN 32-47 reserved
 * data  key=value text, NUL separated
 * </pre>
 */
public record TextRequest(
    boolean immediate,
    boolean finalFlag,
    boolean cont,
    long lun,
    int itt,
    int ttt,
    int cmdSn,
    int expStatSn,
    ByteBuf data)
    implements Pdu {

  static final int CONTINUE = 0x40;

  public TextRequest {
    Objects.requireNonNull(data, "data");
  }

  @Override
  public Opcode opcode() {
    return Opcode.TEXT_REQUEST;
  }

  @Override
  public void writeBhs(ByteBuf out) {
    int flags = Bhs.flag(finalFlag, Bhs.FINAL) | Bhs.flag(cont, CONTINUE);
    Bhs.writeStart(out, opcode(), immediate, flags, 0, 0, 0, data);
    out.writeLong(lun);
    out.writeInt(itt);
    out.writeInt(ttt);
    out.writeInt(cmdSn);
    out.writeInt(expStatSn);
    out.writeZero(16);
  }

  static TextRequest decode(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    return new TextRequest(
        Bhs.immediate(bhs),
        Bhs.bit(bhs, 1, Bhs.FINAL),
        Bhs.bit(bhs, 1, CONTINUE),
        bhs.getLong(8),
        bhs.getInt(16),
        bhs.getInt(20),
        bhs.getInt(24),
        bhs.getInt(28),
        data);
  }
}
