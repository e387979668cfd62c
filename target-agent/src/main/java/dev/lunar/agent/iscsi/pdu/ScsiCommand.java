package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;
import java.util.Objects;

/**
 * SCSI Command, initiator to target (RFC 7143 section 11.3).
 *
 * <pre>
 * byte 0 . I 0x01   byte 1 F R W . . ATTR(3)
 * 8-15  LUN         16-19 ITT       20-23 Expected Data Transfer Length
 * 24-27 CmdSN       28-31 ExpStatSN 32-47 CDB bytes 0-15
 * AHS   type 1 Extended CDB (CDB bytes 16..), type 2 Bidirectional Read Expected Data Transfer
 *       Length (section 11.3.4); each AHS is AHSLength(2) AHSType(1) then AHSLength bytes, padded
 * data  immediate write data
 * </pre>
 *
 * {@code cdb} is the whole CDB, at least 16 bytes (shorter ones are zero-padded to the BHS field);
 * treat it as read-only. {@code bidiReadLength} is 0 without a type-2 AHS.
 */
public record ScsiCommand(
    boolean immediate,
    boolean finalFlag,
    boolean read,
    boolean write,
    int taskAttribute,
    long lun,
    int itt,
    int expectedDataTransferLength,
    int cmdSn,
    int expStatSn,
    byte[] cdb,
    int bidiReadLength,
    ByteBuf data)
    implements Pdu {

  private static final int BHS_CDB_LENGTH = 16;
  private static final int READ = 0x40;
  private static final int WRITE = 0x20;
  private static final int ATTRIBUTE_MASK = 0x07;
  private static final int AHS_EXTENDED_CDB = 1;
  private static final int AHS_BIDI_READ_LENGTH = 2;
  private static final int BIDI_AHS_LENGTH = 5;

  public ScsiCommand {
    Objects.requireNonNull(cdb, "cdb");
    Objects.requireNonNull(data, "data");
    if (cdb.length < BHS_CDB_LENGTH) {
      cdb = Arrays.copyOf(cdb, BHS_CDB_LENGTH);
    }
  }

  @Override
  public Opcode opcode() {
    return Opcode.SCSI_COMMAND;
  }

  @Override
  public void writeBhs(ByteBuf out) {
    int flags =
        Bhs.flag(finalFlag, Bhs.FINAL)
            | Bhs.flag(read, READ)
            | Bhs.flag(write, WRITE)
            | (taskAttribute & ATTRIBUTE_MASK);
    Bhs.writeStart(out, opcode(), immediate, flags, 0, 0, ahsLength(), data);
    out.writeLong(lun);
    out.writeInt(itt);
    out.writeInt(expectedDataTransferLength);
    out.writeInt(cmdSn);
    out.writeInt(expStatSn);
    out.writeBytes(cdb, 0, BHS_CDB_LENGTH);
  }

  @Override
  public int ahsLength() {
    return extendedCdbAhsLength() + (hasBidiAhs() ? 8 : 0);
  }

  @Override
  public void writeAhs(ByteBuf out) {
    int extended = cdb.length - BHS_CDB_LENGTH;
    if (extended > 0) {
      out.writeShort(extended + 1);
      out.writeByte(AHS_EXTENDED_CDB);
      out.writeByte(0);
      out.writeBytes(cdb, BHS_CDB_LENGTH, extended);
      out.writeZero(extendedCdbAhsLength() - 4 - extended);
    }
    if (hasBidiAhs()) {
      out.writeShort(BIDI_AHS_LENGTH);
      out.writeByte(AHS_BIDI_READ_LENGTH);
      out.writeByte(0);
      out.writeInt(bidiReadLength);
    }
  }

  private int extendedCdbAhsLength() {
    int extended = cdb.length - BHS_CDB_LENGTH;
    return extended > 0 ? Bhs.padded(4 + extended) : 0;
  }

  private boolean hasBidiAhs() {
    return (read && write) || bidiReadLength != 0;
  }

  /** Whether the BHS of a SCSI Command has its W (write) bit set. */
  static boolean writeFlag(ByteBuf bhs) {
    return (bhs.getUnsignedByte(1) & WRITE) != 0;
  }

  static ScsiCommand decode(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    byte[] cdb = new byte[BHS_CDB_LENGTH];
    bhs.getBytes(32, cdb);
    int bidiReadLength = 0;
    int index = ahs.readerIndex();
    int end = ahs.writerIndex();
    while (index < end) {
      int length = ahs.getUnsignedShort(index);
      int type = ahs.getUnsignedByte(index + 2);
      int next = index + Bhs.padded(3 + length);
      if (next > end) {
        throw new PduFieldException(
            RejectReason.INVALID_PDU_FIELD, "AHS length " + length + " overruns TotalAHSLength");
      }
      switch (type) {
        case AHS_EXTENDED_CDB -> {
          if (length < 2 || cdb.length > BHS_CDB_LENGTH) {
            throw new PduFieldException(
                RejectReason.INVALID_PDU_FIELD, "bad extended CDB AHS, length " + length);
          }
          cdb = Arrays.copyOf(cdb, BHS_CDB_LENGTH + length - 1);
          ahs.getBytes(index + 4, cdb, BHS_CDB_LENGTH, length - 1);
        }
        case AHS_BIDI_READ_LENGTH -> {
          if (length != BIDI_AHS_LENGTH) {
            throw new PduFieldException(
                RejectReason.INVALID_PDU_FIELD, "bad bidirectional read AHS, length " + length);
          }
          bidiReadLength = ahs.getInt(index + 4);
        }
        default ->
            throw new PduFieldException(
                RejectReason.INVALID_PDU_FIELD, "unsupported AHS type " + type);
      }
      index = next;
    }
    int flags = bhs.getUnsignedByte(1);
    return new ScsiCommand(
        Bhs.immediate(bhs),
        (flags & Bhs.FINAL) != 0,
        (flags & READ) != 0,
        (flags & WRITE) != 0,
        flags & ATTRIBUTE_MASK,
        bhs.getLong(8),
        bhs.getInt(16),
        bhs.getInt(20),
        bhs.getInt(24),
        bhs.getInt(28),
        cdb,
        bidiReadLength,
        data);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ScsiCommand that
        && immediate == that.immediate
        && finalFlag == that.finalFlag
        && read == that.read
        && write == that.write
        && taskAttribute == that.taskAttribute
        && lun == that.lun
        && itt == that.itt
        && expectedDataTransferLength == that.expectedDataTransferLength
        && cmdSn == that.cmdSn
        && expStatSn == that.expStatSn
        && Arrays.equals(cdb, that.cdb)
        && bidiReadLength == that.bidiReadLength
        && data.equals(that.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(itt, cmdSn, lun, Arrays.hashCode(cdb));
  }

  @Override
  public String toString() {
    return "ScsiCommand[itt=0x%08x, lun=0x%016x, cdb=%s, cmdSn=%d, expStatSn=%d, read=%b, write=%b, edtl=%d, bidiReadLength=%d, final=%b, immediate=%b, attr=%d, data=%d bytes]"
        .formatted(
            itt,
            lun,
            ByteBufUtil.hexDump(cdb),
            Integer.toUnsignedLong(cmdSn),
            Integer.toUnsignedLong(expStatSn),
            read,
            write,
            Integer.toUnsignedLong(expectedDataTransferLength),
            Integer.toUnsignedLong(bidiReadLength),
            finalFlag,
            immediate,
            taskAttribute,
            data.readableBytes());
  }
}
