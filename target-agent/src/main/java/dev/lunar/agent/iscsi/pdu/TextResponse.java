package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Text Response, target to initiator (RFC 7143 section 11.11).
 *
 * <pre>
 * byte 0 0x24   byte 1 F C . . . . . .
 * 8-15  LUN     16-19 ITT       20-23 TTT       24-27 StatSN
 * 28-31 ExpCmdSN                32-35 MaxCmdSN  36-47 reserved
 * data  key=value text, NUL separated
 * </pre>
 */
public record TextResponse(
    boolean finalFlag,
    boolean cont,
    long lun,
    int itt,
    int ttt,
    int statSn,
    int expCmdSn,
    int maxCmdSn,
    ByteBuf data)
    implements Pdu {

  public TextResponse {
    Objects.requireNonNull(data, "data");
  }

  @Override
  public Opcode opcode() {
    return Opcode.TEXT_RESPONSE;
  }

  @Override
  public void writeBhs(ByteBuf out) {
    int flags = Bhs.flag(finalFlag, Bhs.FINAL) | Bhs.flag(cont, TextRequest.CONTINUE);
    Bhs.writeStart(out, opcode(), false, flags, 0, 0, 0, data);
    out.writeLong(lun);
    out.writeInt(itt);
    out.writeInt(ttt);
    out.writeInt(statSn);
    out.writeInt(expCmdSn);
    out.writeInt(maxCmdSn);
    out.writeZero(12);
  }

  static TextResponse decode(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    return new TextResponse(
        Bhs.bit(bhs, 1, Bhs.FINAL),
        Bhs.bit(bhs, 1, TextRequest.CONTINUE),
        bhs.getLong(8),
        bhs.getInt(16),
        bhs.getInt(20),
        bhs.getInt(24),
        bhs.getInt(28),
        bhs.getInt(32),
        data);
  }
}
