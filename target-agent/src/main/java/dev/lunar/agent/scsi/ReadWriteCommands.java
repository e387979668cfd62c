package dev.lunar.agent.scsi;

import static dev.lunar.agent.scsi.Opcodes.READ_10;
import static dev.lunar.agent.scsi.Opcodes.READ_12;
import static dev.lunar.agent.scsi.Opcodes.READ_16;
import static dev.lunar.agent.scsi.Opcodes.READ_6;

import dev.lunar.agent.storage.FileSpan;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;

/**
 * READ and WRITE (6), (10), (12), (16) (SBC-3 5.7-5.10, 5.31-5.34). Writes hold the LBA range lock
 * so that COMPARE AND WRITE sees no write in the middle of its range; FUA, or a disabled write
 * cache, makes the write durable before GOOD.
 */
final class ReadWriteCommands implements CommandHandler {

  /**
   * Reads from this size up go out straight from the file ({@code sendfile}) when the transport
   * can: the copy into a buffer and the copy from it into the socket are the largest costs of a
   * large read (bench/profile.sh seqread-1m-qd8), while a small read is cheaper copied, since its
   * answer then leaves in one gathering write with others.
   */
  static final int MIN_SPAN_BYTES = 64 * 1024;

  private final Disk disk;

  ReadWriteCommands(Disk disk) {
    this.disk = disk;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition, IOException {
    BlockRange range = BlockRange.decode(cdb).requireNoProtection();
    return switch (cdb.opcode()) {
      case READ_6, READ_10, READ_12, READ_16 -> read(request, range);
      default -> write(request, range);
    };
  }

  private ScsiResult read(ScsiRequest request, BlockRange range)
      throws CheckCondition, IOException {
    int bytes = range.bytesWithin(disk);
    if (request.fileDataIn() && bytes >= MIN_SPAN_BYTES) {
      FileSpan span = disk.store().span(disk.offset(range.lba()), bytes);
      if (span != null) {
        return ScsiResult.good(span);
      }
    }
    ByteBuf data = ByteBufAllocator.DEFAULT.buffer(bytes);
    try {
      disk.store().read(disk.offset(range.lba()), data, bytes);
      return new ScsiResult(ScsiResult.GOOD, data, null, 0);
    } catch (IOException | RuntimeException e) {
      data.release();
      throw e;
    }
  }

  private ScsiResult write(ScsiRequest request, BlockRange range)
      throws CheckCondition, IOException {
    disk.checkWritable();
    int bytes = range.bytesWithin(disk);
    writeBlocks(disk, request.dataOut(), range.lba(), bytes, range.fua());
    return Responses.goodAfterDataOut(bytes);
  }

  /**
   * Writes {@code bytes} of Data-Out at {@code lba} under the range lock. When the initiator's
   * expected transfer length was shorter than the CDB describes, the whole blocks it sent are
   * written (RFC 7143 section 11.4.5: the transport reports the rest as residual overflow, and
   * libiscsi's residual tests expect exactly that). Data that ends inside a block is refused whole
   * and nothing is written: a logical block is the unit a write replaces, so writing the part that
   * came would leave a block no command wrote, and dropping it while answering GOOD would
   * acknowledge data that never reached the medium.
   */
  static void writeBlocks(Disk disk, ByteBuf dataOut, long lba, int bytes, boolean fua)
      throws CheckCondition, IOException {
    int available = dataOut == null ? 0 : dataOut.readableBytes();
    if (available < bytes && available % disk.blockSize() != 0) {
      throw CheckCondition.partialBlock(bytes);
    }
    int writable = Math.min(bytes, available);
    if (writable == 0) {
      return;
    }
    disk.locked(
        lba,
        writable / disk.blockSize(),
        () -> disk.store().write(disk.offset(lba), dataOut.slice(dataOut.readerIndex(), writable)));
    if (fua || !disk.writeCacheEnabled()) {
      disk.store().flush();
    }
  }
}
