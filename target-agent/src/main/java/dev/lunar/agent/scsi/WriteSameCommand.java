package dev.lunar.agent.scsi;

import static dev.lunar.agent.scsi.Opcodes.WRITE_SAME_10;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;

/**
 * WRITE SAME (10) (0x41) and (16) (0x93), SBC-3 5.42-5.43. Byte 1: WRPROTECT bits 7-5, ANCHOR bit
 * 4, UNMAP bit 3, NDOB bit 0 ((16) only: no Data-Out, the block is zeros). CDB (10): LBA 2-5,
 * blocks 7-8; (16): LBA 2-9, blocks 10-13. A zero block count reaches the last LBA (WSNZ is clear
 * in the block limits page). With UNMAP the range is deallocated, on a thin unit only (anywhere
 * else the bit is an invalid field); otherwise the one block of Data-Out is repeated over the
 * range.
 */
final class WriteSameCommand implements CommandHandler {

  /** Size of the repeated-pattern buffer each store write gets. */
  private static final int PATTERN_BYTES = 1 << 20;

  private final Disk disk;

  WriteSameCommand(Disk disk) {
    this.disk = disk;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition, IOException {
    boolean ten = cdb.opcode() == WRITE_SAME_10;
    cdb.require(ten ? 10 : 16);
    int flags = cdb.u8(1);
    long lba = ten ? cdb.u32(2) : cdb.u64(2);
    long blocks = ten ? cdb.u16(7) : cdb.u32(10);
    boolean anchor = (flags & 0x10) != 0;
    boolean unmap = (flags & 0x08) != 0;
    boolean noDataOut = !ten && (flags & 0x01) != 0;
    if ((flags & 0xE0) != 0) {
      throw CheckCondition.invalidCdbBit(1, 7);
    }
    if (anchor) {
      throw CheckCondition.invalidCdbBit(1, 4);
    }
    if (ten && (flags & 0x01) != 0) {
      throw CheckCondition.invalidCdbBit(1, 0);
    }
    disk.checkWritable();
    if (unmap && !disk.thin()) {
      // The provisioning VPD page of a thick unit clears LBPWS and LBPWS10: UNMAP is not offered.
      // After the write protection check, as UNMAP itself on a read-only unit: DATA PROTECT first.
      throw CheckCondition.invalidCdbBit(1, 3);
    }
    disk.checkRange(lba, blocks);
    if (blocks == 0) {
      // WSNZ is clear: zero blocks means through the last LBA (SBC-3 5.42).
      blocks = disk.blocks() - lba;
    }
    if (blocks > VpdPages.MAX_WRITE_SAME_BLOCKS) {
      throw CheckCondition.invalidCdbField(ten ? 7 : 10);
    }
    int blockSize = disk.blockSize();
    ByteBuf block = request.dataOut();
    int payload = block == null ? 0 : block.readableBytes();
    if (payload != (noDataOut ? 0 : blockSize)) {
      // Exactly one block of Data-Out, or none with NDOB; anything else is a malformed command.
      throw CheckCondition.invalidCdbField(ten ? 7 : 10);
    }
    if (blocks == 0) {
      return Responses.goodAfterDataOut(payload);
    }
    boolean zeros = noDataOut || isZero(block, blockSize);
    long offset = disk.offset(lba);
    long length = blocks * blockSize;
    long count = blocks;
    disk.locked(
        lba,
        count,
        () -> {
          if (unmap) {
            // Deallocate whatever the pattern, as Linux LIO does and libiscsi expects: the
            // initiator asked for the range to be unmapped, and it then reads back as zeros.
            disk.store().punchHole(offset, length);
          } else if (zeros) {
            disk.store().writeZeros(offset, length);
          } else {
            repeat(block, offset, length);
          }
        });
    if (!disk.writeCacheEnabled()) {
      disk.store().flush();
    }
    return Responses.goodAfterDataOut(noDataOut ? 0 : blockSize);
  }

  private static boolean isZero(ByteBuf block, int length) {
    int base = block.readerIndex();
    for (int i = 0; i < length; i++) {
      if (block.getByte(base + i) != 0) {
        return false;
      }
    }
    return true;
  }

  private void repeat(ByteBuf block, long offset, long length) throws IOException {
    int blockSize = disk.blockSize();
    int perBuffer =
        (int) Math.min(length, Math.max(blockSize, PATTERN_BYTES / blockSize * blockSize));
    ByteBuf pattern = ByteBufAllocator.DEFAULT.buffer(perBuffer);
    try {
      while (pattern.writerIndex() < perBuffer) {
        pattern.writeBytes(block, block.readerIndex(), blockSize);
      }
      long done = 0;
      while (done < length) {
        int n = (int) Math.min(perBuffer, length - done);
        disk.store().write(offset + done, pattern.slice(0, n));
        done += n;
      }
    } finally {
      pattern.release();
    }
  }
}
