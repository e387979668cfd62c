package dev.lunar.agent.scsi;

import dev.lunar.agent.storage.Extent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * GET LBA STATUS (SERVICE ACTION IN (16) 0x9E, service action 0x12, SBC-3 5.5). CDB: LBA 2-9,
 * allocation length 10-13. Data: 0-3 parameter data length (n - 4), 4-7 reserved, then 16-byte
 * descriptors: 0-7 first LBA, 8-11 number of blocks, 12 provisioning status (0 mapped, 1
 * deallocated). A block counts as mapped when any of its bytes is allocated. One answer looks at
 * most {@link #SCAN_BYTES} ahead; the initiator asks again from where the answer ends.
 */
final class GetLbaStatusCommand implements CommandHandler {

  static final long SCAN_BYTES = 1L << 32;

  private final Disk disk;

  GetLbaStatusCommand(Disk disk) {
    this.disk = disk;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition, IOException {
    cdb.require(16);
    long lba = cdb.u64(2);
    long allocation = cdb.u32(10);
    if (lba < 0 || lba >= disk.blocks()) {
      throw CheckCondition.of(SenseCode.LBA_OUT_OF_RANGE);
    }
    int maxDescriptors = (int) Math.max(1, Math.min(1024, (allocation - 8) / 16));
    int blockSize = disk.blockSize();
    long endLba = Math.min(disk.blocks(), lba + SCAN_BYTES / blockSize);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long cursor = lba;
    int written = 0;
    for (Extent extent : disk.store().extents(disk.offset(lba), disk.offset(endLba - lba))) {
      if (written == maxDescriptors || cursor >= endLba) {
        break;
      }
      long extentEnd =
          extent.allocated()
              ? ceilDiv(extent.end(), blockSize)
              : Math.floorDiv(extent.end(), blockSize);
      extentEnd = Math.min(extentEnd, endLba);
      if (extentEnd <= cursor) {
        continue;
      }
      written += descriptor(out, cursor, extentEnd - cursor, extent.allocated() ? 0 : 1);
      cursor = extentEnd;
    }
    if (written == 0) {
      descriptor(out, lba, endLba - lba, 0);
    }
    byte[] descriptors = out.toByteArray();
    byte[] data = new byte[8 + descriptors.length];
    Bytes.putU32(data, 0, data.length - 4);
    System.arraycopy(descriptors, 0, data, 8, descriptors.length);
    return Responses.data(data, allocation);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static int descriptor(ByteArrayOutputStream out, long lba, long blocks, int status) {
    byte[] d = new byte[16];
    Bytes.putU64(d, 0, lba);
    Bytes.putU32(d, 8, Math.min(blocks, 0xFFFFFFFFL));
    d[12] = (byte) status;
    out.writeBytes(d);
    return 1;
  }
}
