package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Login Response, target to initiator (RFC 7143 section 11.13).
 *
 * <pre>
 * byte 0 0x23
 * byte 1 T C . . CSG(2) NSG(2)  byte 2 Version-max   byte 3 Version-active
 * 8-13  ISID    14-15 TSIH      16-19 ITT           20-23 reserved
 * 24-27 StatSN  28-31 ExpCmdSN  32-35 MaxCmdSN
 * 36 Status-Class   37 Status-Detail                38-47 reserved
 * data  key=value text, NUL separated
 * </pre>
 */
public record LoginResponse(
    boolean transit,
    boolean cont,
    int csg,
    int nsg,
    int versionMax,
    int versionActive,
    long isid,
    int tsih,
    int itt,
    int statSn,
    int expCmdSn,
    int maxCmdSn,
    int statusClass,
    int statusDetail,
    ByteBuf data)
    implements Pdu {

  public LoginResponse {
    Objects.requireNonNull(data, "data");
  }

  @Override
  public Opcode opcode() {
    return Opcode.LOGIN_RESPONSE;
  }

  @Override
  public void writeBhs(ByteBuf out) {
    Bhs.writeStart(
        out,
        opcode(),
        false,
        LoginStage.flags(transit, cont, csg, nsg),
        versionMax,
        versionActive,
        0,
        data);
    Bhs.writeIsid(out, isid);
    out.writeShort(tsih);
    out.writeInt(itt);
    out.writeZero(4);
    out.writeInt(statSn);
    out.writeInt(expCmdSn);
    out.writeInt(maxCmdSn);
    out.writeByte(statusClass);
    out.writeByte(statusDetail);
    out.writeZero(10);
  }

  static LoginResponse decode(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    int flags = bhs.getUnsignedByte(1);
    return new LoginResponse(
        LoginStage.transit(flags),
        LoginStage.cont(flags),
        LoginStage.csg(flags),
        LoginStage.nsg(flags),
        bhs.getUnsignedByte(2),
        bhs.getUnsignedByte(3),
        Bhs.isid(bhs),
        bhs.getUnsignedShort(14),
        bhs.getInt(16),
        bhs.getInt(24),
        bhs.getInt(28),
        bhs.getInt(32),
        bhs.getUnsignedByte(36),
        bhs.getUnsignedByte(37),
        data);
  }
}
