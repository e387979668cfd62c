package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * SCSI Data-In, target to initiator (RFC 7143 section 11.7).
 *
 * <pre>
 * byte 0 0x25
 * byte 1 F A 0 0 0 O U S    A acknowledge, O/U overflow/underflow, S status present
 * byte 2 reserved           byte 3 Status (valid with S)
 * 8-15  LUN (valid with A)  16-19 ITT       20-23 TTT (valid with A)
 * 24-27 StatSN (with S)     28-31 ExpCmdSN  32-35 MaxCmdSN      36-39 DataSN
 * 40-43 Buffer Offset       44-47 Residual Count
 * data  read data
 * </pre>
 */
public record DataIn(
    boolean finalFlag,
    boolean acknowledge,
    boolean overflow,
    boolean underflow,
    boolean statusPresent,
    int status,
    long lun,
    int itt,
    int ttt,
    int statSn,
    int expCmdSn,
    int maxCmdSn,
    int dataSn,
    int bufferOffset,
    int residualCount,
    ByteBuf data)
    implements Pdu {

  private static final int ACKNOWLEDGE = 0x40;
  private static final int OVERFLOW = 0x04;
  private static final int UNDERFLOW = 0x02;
  private static final int STATUS_PRESENT = 0x01;

  public DataIn {
    Objects.requireNonNull(data, "data");
  }

  @Override
  public Opcode opcode() {
    return Opcode.DATA_IN;
  }

  @Override
  public void writeBhs(ByteBuf out) {
    int flags =
        Bhs.flag(finalFlag, Bhs.FINAL)
            | Bhs.flag(acknowledge, ACKNOWLEDGE)
            | Bhs.flag(overflow, OVERFLOW)
            | Bhs.flag(underflow, UNDERFLOW)
            | Bhs.flag(statusPresent, STATUS_PRESENT);
    Bhs.writeStart(out, opcode(), false, flags, 0, status, 0, data);
    out.writeLong(lun);
    out.writeInt(itt);
    out.writeInt(ttt);
    out.writeInt(statSn);
    out.writeInt(expCmdSn);
    out.writeInt(maxCmdSn);
    out.writeInt(dataSn);
    out.writeInt(bufferOffset);
    out.writeInt(residualCount);
  }

  static DataIn decode(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    return new DataIn(
        Bhs.bit(bhs, 1, Bhs.FINAL),
        Bhs.bit(bhs, 1, ACKNOWLEDGE),
        Bhs.bit(bhs, 1, OVERFLOW),
        Bhs.bit(bhs, 1, UNDERFLOW),
        Bhs.bit(bhs, 1, STATUS_PRESENT),
        bhs.getUnsignedByte(3),
        bhs.getLong(8),
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
