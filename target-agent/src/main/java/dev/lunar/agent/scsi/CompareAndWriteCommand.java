package dev.lunar.agent.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;

/**
 * COMPARE AND WRITE (0x89, SBC-3 5.2). CDB: byte 1 WRPROTECT bits 7-5, FUA bit 3; LBA 2-9; byte 13
 * number of blocks (at most 1, the block limits maximum). Data-Out holds the verify blocks then the
 * write blocks. The range stays locked from the read to the write, so no other write can slip
 * between them; a difference answers MISCOMPARE with the offset of the first differing byte.
 */
final class CompareAndWriteCommand implements CommandHandler {

  static final int MAX_BLOCKS = 1;

  private final Disk disk;

  CompareAndWriteCommand(Disk disk) {
    this.disk = disk;
  }

  /**
   * Offset of the first byte where {@code actual} differs from {@code expected}, the expected bytes
   * repeating every {@code period} bytes; -1 when they match.
   */
  static int firstDifference(
      ByteBuf actual, int actualBase, ByteBuf expected, int expectedBase, int length, int period) {
    for (int i = 0; i < length; i++) {
      if (actual.getByte(actualBase + i) != expected.getByte(expectedBase + i % period)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition, IOException {
    cdb.require(16);
    int flags = cdb.u8(1);
    long lba = cdb.u64(2);
    int blocks = cdb.u8(13);
    if ((flags & 0xE0) != 0) {
      throw CheckCondition.invalidCdbBit(1, 7);
    }
    if (blocks > MAX_BLOCKS) {
      throw CheckCondition.invalidCdbField(13);
    }
    disk.checkWritable();
    disk.checkRange(lba, blocks);
    ByteBuf data = request.dataOut();
    if (blocks == 0) {
      // Zero blocks with a payload is inconsistent (libiscsi sends 256 blocks, which wraps to 0).
      if (data != null && data.isReadable()) {
        throw CheckCondition.invalidCdbField(13);
      }
      return Responses.good();
    }
    int half = blocks * disk.blockSize();
    if (data == null || data.readableBytes() != 2 * half) {
      throw CheckCondition.invalidCdbField(13);
    }
    ByteBuf medium = ByteBufAllocator.DEFAULT.buffer(half);
    int base = data.readerIndex();
    try {
      disk.locked(
          lba,
          blocks,
          () -> {
            disk.store().read(disk.offset(lba), medium, half);
            int differs = firstDifference(medium, 0, data, base, half, half);
            if (differs >= 0) {
              throw CheckCondition.withInformation(SenseCode.MISCOMPARE_DURING_VERIFY, differs);
            }
            disk.store().write(disk.offset(lba), data.slice(base + half, half));
          });
    } finally {
      medium.release();
    }
    if ((flags & 0x08) != 0 || !disk.writeCacheEnabled()) {
      disk.store().flush();
    }
    return Responses.goodAfterDataOut(2 * half);
  }
}
