package dev.lunar.agent.scsi;

import static dev.lunar.agent.scsi.Opcodes.READ_DEFECT_DATA_10;

/**
 * READ DEFECT DATA (10) (0x37, SBC-3 5.17) and (12) (0xB7, 5.18): a virtual medium has no defects,
 * so the answer is an empty list in the format asked for. CDB (10): byte 2 bit 4 REQ_PLIST, bit 3
 * REQ_GLIST, bits 2-0 format; 7-8 allocation length. (12): byte 1 the same bits; 6-9 allocation.
 * Data (10): 1 flags | format, 2-3 list length 0; (12): 1 flags | format, 4-7 list length 0.
 */
final class ReadDefectDataCommand implements CommandHandler {

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition {
    boolean ten = cdb.opcode() == READ_DEFECT_DATA_10;
    cdb.require(ten ? 10 : 12);
    int flags = cdb.u8(ten ? 2 : 1) & 0x1F;
    long allocation = ten ? cdb.u16(7) : cdb.u32(6);
    byte[] data = new byte[ten ? 4 : 8];
    data[1] = (byte) flags;
    return Responses.data(data, allocation);
  }
}
