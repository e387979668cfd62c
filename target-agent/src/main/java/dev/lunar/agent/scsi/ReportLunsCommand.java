package dev.lunar.agent.scsi;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * REPORT LUNS (0xA0, SPC-4 6.33). CDB: byte 2 select report, bytes 6-9 allocation length (at least
 * 16). Data: bytes 0-3 LUN list length, 4-7 reserved, then one 8-byte LUN per unit (SAM-5 4.7:
 * peripheral addressing below 256, flat addressing 0x40 above).
 */
final class ReportLunsCommand implements CommandHandler {

  private final Supplier<int[]> lunNumbers;

  ReportLunsCommand(Supplier<int[]> lunNumbers) {
    this.lunNumbers = lunNumbers;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition {
    cdb.require(12);
    int select = cdb.u8(2);
    long allocation = cdb.u32(6);
    if (select > 0x02 && (select < 0x10 || select > 0x12)) {
      throw CheckCondition.invalidCdbField(2);
    }
    if (allocation < 16) {
      throw CheckCondition.invalidCdbField(6);
    }
    // Well-known LUNs (select 1) do not exist here; 0x10-0x12 concern administrative LUNs.
    int[] luns = select == 0x01 ? new int[0] : lunNumbers.get().clone();
    Arrays.sort(luns);
    byte[] data = new byte[8 + 8 * luns.length];
    Bytes.putU32(data, 0, 8L * luns.length);
    for (int i = 0; i < luns.length; i++) {
      int lun = luns[i];
      int at = 8 + 8 * i;
      if (lun < 256) {
        data[at + 1] = (byte) lun;
      } else {
        data[at] = (byte) (0x40 | (lun >>> 8 & 0x3f));
        data[at + 1] = (byte) lun;
      }
    }
    return Responses.data(data, allocation);
  }
}
