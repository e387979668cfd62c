package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * SCSI Data-Out, initiator to target (RFC 7143 section 11.7).
 *
 * <pre>
 * byte 0 0x05   byte 1 F . . . . . . .
 * 8-15  LUN     16-19 ITT       20-23 TTT (0xffffffff for unsolicited data)
 * 24-27 reserved                28-31 ExpStatSN     32-35 reserved
 * 36-39 DataSN  40-43 Buffer Offset                 44-47 reserved
 * data  write data
 * </pre>
 */
public record DataOut(
    boolean finalFlag,
    long lun,
    int itt,
    int ttt,
    int expStatSn,
    int dataSn,
    int bufferOffset,
    ByteBuf data)
    implements Pdu {

  public DataOut {
    Objects.requireNonNull(data, "data");
  }

  @Override
  public Opcode opcode() {
    return Opcode.DATA_OUT;
  }

  @Override
  public void writeBhs(ByteBuf out) {
    Bhs.writeStart(out, opcode(), false, Bhs.flag(finalFlag, Bhs.FINAL), 0, 0, 0, data);
    out.writeLong(lun);
    out.writeInt(itt);
    out.writeInt(ttt);
    out.writeZero(4);
    out.writeInt(expStatSn);
    out.writeZero(4);
    out.writeInt(dataSn);
    out.writeInt(bufferOffset);
    out.writeZero(4);
  }

  static DataOut decode(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    return new DataOut(
        Bhs.bit(bhs, 1, Bhs.FINAL),
        bhs.getLong(8),
        bhs.getInt(16),
        bhs.getInt(20),
        bhs.getInt(28),
        bhs.getInt(36),
        bhs.getInt(40),
        data);
  }
}
