package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * Logout Request, initiator to target (RFC 7143 section 11.14).
 *
 * <pre>
 * byte 0 . I 0x06   byte 1 1 reason code(7): 0 close session, 1 close connection, 2 recovery
 * 8-15  reserved    16-19 ITT       20-21 CID       22-23 reserved
 * 24-27 CmdSN       28-31 ExpStatSN 32-47 reserved
 * </pre>
 */
public record LogoutRequest(
    boolean immediate, int reasonCode, int itt, int cid, int cmdSn, int expStatSn) implements Pdu {

  @Override
  public Opcode opcode() {
    return Opcode.LOGOUT_REQUEST;
  }

  @Override
  public void writeBhs(ByteBuf out) {
    Bhs.writeStart(out, opcode(), immediate, Bhs.FINAL | (reasonCode & 0x7f), 0, 0, 0, data());
    out.writeZero(8);
    out.writeInt(itt);
    out.writeShort(cid);
    out.writeZero(2);
    out.writeInt(cmdSn);
    out.writeInt(expStatSn);
    out.writeZero(16);
  }

  static LogoutRequest decode(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    return new LogoutRequest(
        Bhs.immediate(bhs),
        bhs.getByte(1) & 0x7f,
        bhs.getInt(16),
        bhs.getUnsignedShort(20),
        bhs.getInt(24),
        bhs.getInt(28));
  }
}
