package dev.lunar.agent.scsi;

import static dev.lunar.agent.scsi.Opcodes.PRE_FETCH_10;
import static dev.lunar.agent.scsi.Opcodes.SYNCHRONIZE_CACHE_10;
import static dev.lunar.agent.scsi.Opcodes.SYNCHRONIZE_CACHE_16;

import java.io.IOException;

/**
 * SYNCHRONIZE CACHE (10) (0x35) / (16) (0x91) and PRE-FETCH (10) (0x34) / (16) (0x90), SBC-3
 * 5.22-5.23 and 5.11-5.12. CDB (10): LBA bytes 2-5, blocks 7-8; (16): LBA 2-9, blocks 10-13.
 * SYNCHRONIZE CACHE flushes the whole store whatever range it names; PRE-FETCH only checks the
 * range, the page cache doing the rest.
 */
final class CacheCommands implements CommandHandler {

  private final Disk disk;

  CacheCommands(Disk disk) {
    this.disk = disk;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition, IOException {
    int opcode = cdb.opcode();
    boolean ten = opcode == SYNCHRONIZE_CACHE_10 || opcode == PRE_FETCH_10;
    cdb.require(ten ? 10 : 16);
    long lba = ten ? cdb.u32(2) : cdb.u64(2);
    long blocks = ten ? cdb.u16(7) : cdb.u32(10);
    disk.checkRange(lba, blocks);
    if (opcode == SYNCHRONIZE_CACHE_10 || opcode == SYNCHRONIZE_CACHE_16) {
      disk.store().flush();
    }
    return Responses.good();
  }
}
