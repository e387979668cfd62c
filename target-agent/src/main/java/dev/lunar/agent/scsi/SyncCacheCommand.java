package dev.lunar.agent.scsi;

import java.io.IOException;

/**
 * SYNCHRONIZE CACHE (10) (0x35, SBC-3 5.22) and (16) (0x91, 5.23). CDB (10): LBA bytes 2-5, number
 * of blocks 7-8; (16): LBA 2-9, blocks 10-13; byte 1 bit 1 IMMED. The whole store is flushed
 * whatever range is named; the range is only checked.
 */
final class SyncCacheCommand implements CommandHandler {

  static final int SYNCHRONIZE_CACHE_10 = 0x35;
  static final int SYNCHRONIZE_CACHE_16 = 0x91;

  private final Disk disk;

  SyncCacheCommand(Disk disk) {
    this.disk = disk;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition, IOException {
    long lba;
    long blocks;
    if (cdb.opcode() == SYNCHRONIZE_CACHE_10) {
      cdb.require(10);
      lba = cdb.u32(2);
      blocks = cdb.u16(7);
    } else {
      cdb.require(16);
      lba = cdb.u64(2);
      blocks = cdb.u32(10);
    }
    disk.checkRange(lba, blocks);
    disk.store().flush();
    return Responses.good();
  }
}
