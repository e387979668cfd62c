package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Login Request, initiator to target (RFC 7143 section 11.12).
 *
 * <pre>
 * byte 0 0x43 (I always set)
 * byte 1 T C . . CSG(2) NSG(2)  byte 2 Version-max   byte 3 Version-min
 * 8-13  ISID    14-15 TSIH      16-19 ITT           20-21 CID     22-23 reserved
 * 24-27 CmdSN   28-31 ExpStatSN 32-47 reserved
 * data  key=value text, NUL separated
 * </pre>
 */
public record LoginRequest(
    boolean transit,
    boolean cont,
    int csg,
    int nsg,
    int versionMax,
    int versionMin,
    long isid,
    int tsih,
    int itt,
    int cid,
    int cmdSn,
    int expStatSn,
    ByteBuf data)
    implements Pdu {

  public LoginRequest {
    Objects.requireNonNull(data, "data");
  }

  @Override
  public Opcode opcode() {
    return Opcode.LOGIN_REQUEST;
  }

  @Override
  public void writeBhs(ByteBuf out) {
    Bhs.writeStart(
        out,
        opcode(),
        true,
        LoginStage.flags(transit, cont, csg, nsg),
        versionMax,
        versionMin,
        0,
        data);
    Bhs.writeIsid(out, isid);
    out.writeShort(tsih);
    out.writeInt(itt);
    out.writeShort(cid);
    out.writeZero(2);
    out.writeInt(cmdSn);
    out.writeInt(expStatSn);
    out.writeZero(16);
  }

  static LoginRequest decode(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    int flags = bhs.getUnsignedByte(1);
    return new LoginRequest(
        LoginStage.transit(flags),
        LoginStage.cont(flags),
        LoginStage.csg(flags),
        LoginStage.nsg(flags),
        bhs.getUnsignedByte(2),
        bhs.getUnsignedByte(3),
        Bhs.isid(bhs),
        bhs.getUnsignedShort(14),
        bhs.getInt(16),
        bhs.getUnsignedShort(20),
        bhs.getInt(24),
        bhs.getInt(28),
        data);
  }
}
