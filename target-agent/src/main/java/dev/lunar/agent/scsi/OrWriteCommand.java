package dev.lunar.agent.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;

/**
 * ORWRITE (16) (0x8B, SBC-3 5.13), first-pass form only: the Data-Out is ORed into the medium. CDB
 * as WRITE (16): byte 1 ORPROTECT bits 7-5 and FUA bit 3, LBA 2-9, blocks 10-13. The range lock
 * makes the read-modify-write atomic against other writes.
 */
final class OrWriteCommand implements CommandHandler {

  private final Disk disk;

  OrWriteCommand(Disk disk) {
    this.disk = disk;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition, IOException {
    BlockRange range = BlockRange.decode(cdb).requireNoProtection();
    disk.checkWritable();
    int bytes = range.bytesWithin(disk);
    if (bytes == 0) {
      return Responses.good();
    }
    ByteBuf data = request.dataOut();
    if (data == null || data.readableBytes() < bytes) {
      throw CheckCondition.invalidCdbField(0);
    }
    ByteBuf merged = ByteBufAllocator.DEFAULT.buffer(bytes);
    try {
      long offset = disk.offset(range.lba());
      disk.locked(
          range.lba(),
          range.blocks(),
          () -> {
            disk.store().read(offset, merged, bytes);
            int base = data.readerIndex();
            for (int i = 0; i < bytes; i++) {
              merged.setByte(i, merged.getByte(i) | data.getByte(base + i));
            }
            disk.store().write(offset, merged);
          });
    } finally {
      merged.release();
    }
    if (range.fua() || !disk.writeCacheEnabled()) {
      disk.store().flush();
    }
    return Responses.goodAfterDataOut(bytes);
  }
}
