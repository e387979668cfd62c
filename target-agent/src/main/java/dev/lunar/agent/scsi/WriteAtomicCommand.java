package dev.lunar.agent.scsi;

import java.io.IOException;

/**
 * WRITE ATOMIC (16) (0x9C, SBC-4 5.48). CDB: byte 1 WRPROTECT bits 7-5, DPO bit 4, FUA bit 3; LBA
 * 2-9; ATOMIC BOUNDARY 10-11 (boundaries are not supported, so it must be 0); transfer length
 * 12-13; group 14. The whole range is written under one LBA range lock, so no other command of this
 * unit sees or interleaves with a partial write; the block limits page advertises the limits.
 */
final class WriteAtomicCommand implements CommandHandler {

  private final Disk disk;

  WriteAtomicCommand(Disk disk) {
    this.disk = disk;
  }

  /** Largest atomic write, in blocks: everything one command may carry. */
  static long maxAtomicBlocks(Disk disk) {
    return disk.maxTransferBlocks();
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition, IOException {
    cdb.require(16);
    int flags = cdb.u8(1);
    long lba = cdb.u64(2);
    int boundary = cdb.u16(10);
    int blocks = cdb.u16(12);
    if ((flags & 0xE0) != 0) {
      throw CheckCondition.invalidCdbBit(1, 7);
    }
    if (boundary != 0) {
      throw CheckCondition.invalidCdbField(10);
    }
    disk.checkWritable();
    disk.checkRange(lba, blocks);
    if (blocks > maxAtomicBlocks(disk)) {
      throw CheckCondition.invalidCdbField(12);
    }
    int bytes = blocks * disk.blockSize();
    ReadWriteCommands.writeBlocks(disk, request.dataOut(), lba, bytes, (flags & 0x08) != 0);
    return Responses.goodAfterDataOut(bytes);
  }
}
