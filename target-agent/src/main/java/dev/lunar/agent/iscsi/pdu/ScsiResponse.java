package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Objects;

/**
 * SCSI Response, target to initiator (RFC 7143 section 11.4).
 *
 * <pre>
 * byte 0 0x21
 * byte 1 1 . . o u O U .   o/u bidi read overflow/underflow, O/U overflow/underflow
 * byte 2 Response           byte 3 Status
 * 8-15  reserved            16-19 ITT          20-23 SNACK Tag    24-27 StatSN
 * 28-31 ExpCmdSN            32-35 MaxCmdSN     36-39 ExpDataSN
 * 40-43 Bidirectional Read Residual Count      44-47 Residual Count
 * data  SenseLength(2) + sense data, or response data (section 11.4.7)
 * </pre>
 */
public record ScsiResponse(
    boolean bidiOverflow,
    boolean bidiUnderflow,
    boolean overflow,
    boolean underflow,
    int response,
    int status,
    int itt,
    int snackTag,
    int statSn,
    int expCmdSn,
    int maxCmdSn,
    int expDataSn,
    int bidiResidualCount,
    int residualCount,
    ByteBuf data)
    implements Pdu {

  private static final int BIDI_OVERFLOW = 0x10;
  private static final int BIDI_UNDERFLOW = 0x08;
  private static final int OVERFLOW = 0x04;
  private static final int UNDERFLOW = 0x02;

  public ScsiResponse {
    Objects.requireNonNull(data, "data");
  }

  /** A data segment carrying sense data: a 2-byte SenseLength, then the sense bytes. */
  public static ByteBuf senseData(byte[] sense) {
    ByteBuf data = Unpooled.buffer(2 + sense.length);
    data.writeShort(sense.length);
    data.writeBytes(sense);
    return data;
  }

  @Override
  public Opcode opcode() {
    return Opcode.SCSI_RESPONSE;
  }

  @Override
  public void writeBhs(ByteBuf out) {
    int flags =
        Bhs.FINAL
            | Bhs.flag(bidiOverflow, BIDI_OVERFLOW)
            | Bhs.flag(bidiUnderflow, BIDI_UNDERFLOW)
            | Bhs.flag(overflow, OVERFLOW)
            | Bhs.flag(underflow, UNDERFLOW);
    Bhs.writeStart(out, opcode(), false, flags, response, status, 0, data);
    out.writeZero(8);
    out.writeInt(itt);
    out.writeInt(snackTag);
    out.writeInt(statSn);
    out.writeInt(expCmdSn);
    out.writeInt(maxCmdSn);
    out.writeInt(expDataSn);
    out.writeInt(bidiResidualCount);
    out.writeInt(residualCount);
  }

  static ScsiResponse decode(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    return new ScsiResponse(
        Bhs.bit(bhs, 1, BIDI_OVERFLOW),
        Bhs.bit(bhs, 1, BIDI_UNDERFLOW),
        Bhs.bit(bhs, 1, OVERFLOW),
        Bhs.bit(bhs, 1, UNDERFLOW),
        bhs.getUnsignedByte(2),
        bhs.getUnsignedByte(3),
        bhs.getInt(16),
        bhs.getInt(20),
        bhs.getInt(24),
        bhs.getInt(28),
        bhs.getInt(32),
        bhs.getInt(36),
        bhs.getInt(40),
        bhs.getInt(44),
        data);
  }
}
