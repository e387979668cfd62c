package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
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
 *
 * <p>The read data is either {@code data} or, for a large read from a file, {@code file}: a region
 * of the backing file that the encoder hands to the channel as it is, which sends it with {@code
 * sendfile}. A PDU with a file region has an empty {@code data}; it owns the region as it owns a
 * buffer.
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
    ByteBuf data,
    FileRegion file)
    implements Pdu {

  private static final int ACKNOWLEDGE = 0x40;
  private static final int OVERFLOW = 0x04;
  private static final int UNDERFLOW = 0x02;
  private static final int STATUS_PRESENT = 0x01;

  public DataIn {
    Objects.requireNonNull(data, "data");
    if (file != null && data.isReadable()) {
      throw new IllegalArgumentException("Data-In with both a buffer and a file region");
    }
    if (file != null && file.count() > Bhs.MAX_DATA_SEGMENT_LENGTH) {
      throw new IllegalArgumentException("file region of " + file.count() + " bytes");
    }
  }

  /** Data-In whose read data is a buffer. */
  public DataIn(
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
      ByteBuf data) {
    this(
        finalFlag,
        acknowledge,
        overflow,
        underflow,
        statusPresent,
        status,
        lun,
        itt,
        ttt,
        statSn,
        expCmdSn,
        maxCmdSn,
        dataSn,
        bufferOffset,
        residualCount,
        data,
        null);
  }

  /** Data-In whose read data goes out straight from a file region. */
  public static DataIn fromFile(
      boolean finalFlag,
      boolean overflow,
      boolean underflow,
      boolean statusPresent,
      int status,
      long lun,
      int itt,
      int statSn,
      int expCmdSn,
      int maxCmdSn,
      int dataSn,
      int bufferOffset,
      int residualCount,
      FileRegion file) {
    return new DataIn(
        finalFlag,
        false,
        overflow,
        underflow,
        statusPresent,
        status,
        lun,
        itt,
        0xffffffff,
        statSn,
        expCmdSn,
        maxCmdSn,
        dataSn,
        bufferOffset,
        residualCount,
        Unpooled.EMPTY_BUFFER,
        Objects.requireNonNull(file, "file"));
  }

  @Override
  public int dataLength() {
    return file == null ? data.readableBytes() : (int) file.count();
  }

  @Override
  public void release() {
    data.release();
    if (file != null) {
      file.release();
    }
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
    Bhs.writeStart(out, opcode(), false, flags, 0, status, 0, dataLength());
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
        data,
        null);
  }

  @Override
  public String toString() {
    return "DataIn[itt=0x"
        + Integer.toHexString(itt)
        + ", dataSn="
        + dataSn
        + ", offset="
        + bufferOffset
        + ", length="
        + dataLength()
        + (statusPresent ? ", status=0x" + Integer.toHexString(status) : "")
        + (file != null ? ", from file" : "")
        + "]";
  }
}
