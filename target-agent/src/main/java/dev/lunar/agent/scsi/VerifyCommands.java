package dev.lunar.agent.scsi;

import static dev.lunar.agent.scsi.Opcodes.WRITE_AND_VERIFY_10;
import static dev.lunar.agent.scsi.Opcodes.WRITE_AND_VERIFY_12;
import static dev.lunar.agent.scsi.Opcodes.WRITE_AND_VERIFY_16;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;

/**
 * VERIFY (10) (0x2F), (12) (0xAF), (16) (0x8F) and WRITE AND VERIFY (10) (0x2E), (12) (0xAE), (16)
 * (0x8E), SBC-3 5.24-5.26 and 5.37-5.39. Byte 1 bits 2-1 BYTCHK: 00 check the medium only, 01
 * compare the Data-Out with the medium, 11 compare one block of Data-Out with every block; a
 * difference ends in MISCOMPARE with the byte offset of the first difference in INFORMATION. WRITE
 * AND VERIFY writes and then reads back nothing: what it wrote is what the store holds.
 */
final class VerifyCommands implements CommandHandler {

  private final Disk disk;

  VerifyCommands(Disk disk) {
    this.disk = disk;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition, IOException {
    BlockRange range = BlockRange.decode(cdb).requireNoProtection();
    return switch (cdb.opcode()) {
      case WRITE_AND_VERIFY_10, WRITE_AND_VERIFY_12, WRITE_AND_VERIFY_16 -> {
        disk.checkWritable();
        int bytes = range.bytesWithin(disk);
        ReadWriteCommands.writeBlocks(disk, request.dataOut(), range.lba(), bytes, true);
        yield Responses.goodAfterDataOut(bytes);
      }
      default -> verify(request, range);
    };
  }

  private ScsiResult verify(ScsiRequest request, BlockRange range)
      throws CheckCondition, IOException {
    int byteCheck = range.flags() >>> 1 & 0x3;
    int bytes = range.bytesWithin(disk);
    if (byteCheck == 0 || bytes == 0) {
      return Responses.good();
    }
    if (byteCheck == 2) {
      throw CheckCondition.invalidCdbBit(1, 2);
    }
    int wanted = byteCheck == 1 ? bytes : disk.blockSize();
    ByteBuf expected = request.dataOut();
    if (expected == null || expected.readableBytes() < wanted) {
      throw CheckCondition.invalidCdbField(0);
    }
    ByteBuf medium = ByteBufAllocator.DEFAULT.buffer(bytes);
    try {
      disk.store().read(disk.offset(range.lba()), medium, bytes);
      int period = byteCheck == 1 ? bytes : disk.blockSize();
      int differs =
          CompareAndWriteCommand.firstDifference(
              medium, 0, expected, expected.readerIndex(), bytes, period);
      if (differs >= 0) {
        throw CheckCondition.withInformation(SenseCode.MISCOMPARE_DURING_VERIFY, differs);
      }
    } finally {
      medium.release();
    }
    return Responses.goodAfterDataOut(wanted);
  }
}
