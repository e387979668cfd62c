package dev.lunar.agent.scsi;

import static dev.lunar.agent.scsi.Opcodes.MODE_SENSE_10;

/**
 * MODE SENSE (6) (0x1A, SPC-4 6.11) and (10) (0x5A, 6.12).
 *
 * <pre>
 * CDB (6):  byte 1 bit 3 DBD; byte 2 PC (bits 7-6) | page code; byte 3 subpage; byte 4 allocation
 * CDB (10): byte 1 bit 4 LLBAA, bit 3 DBD; bytes 2-3 as (6); bytes 7-8 allocation length
 * Header (6):  0 mode data length (n - 1), 1 medium type, 2 device-specific (bit 7 WP, bit 4
 *              DPOFUA), 3 block descriptor length
 * Header (10): 0-1 mode data length (n - 2), 2 medium type, 3 device-specific, 4 bit 0 LONGLBA,
 *              6-7 block descriptor length
 * Block descriptor (SBC-3 6.4.2), short: 0-3 blocks (0xFFFFFFFF when larger), 5-7 block length;
 *              long (LLBAA): 0-7 blocks, 12-15 block length
 * </pre>
 */
final class ModeSenseCommand implements CommandHandler {

  private final Disk disk;

  ModeSenseCommand(Disk disk) {
    this.disk = disk;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition {
    boolean ten = cdb.opcode() == MODE_SENSE_10;
    cdb.require(ten ? 10 : 6);
    boolean dbd = cdb.bit(1, 3);
    boolean longLba = ten && cdb.bit(1, 4);
    int control = cdb.u8(2) >>> 6;
    int code = cdb.u8(2) & 0x3F;
    int subpage = cdb.u8(3);
    int allocation = ten ? cdb.u16(7) : cdb.u8(4);
    if (!ModePages.known(code)) {
      throw CheckCondition.invalidCdbField(2);
    }
    if (subpage != 0 && !(subpage == 0xFF && code == ModePages.ALL_PAGES)) {
      throw CheckCondition.invalidCdbField(3);
    }
    byte[] pages = ModePages.pages(code, control, disk);
    byte[] descriptor = dbd ? new byte[0] : blockDescriptor(longLba);
    int headerLength = ten ? 8 : 4;
    byte[] data = new byte[headerLength + descriptor.length + pages.length];
    int deviceSpecific = (disk.writeProtected() ? 0x80 : 0) | 0x10;
    if (ten) {
      Bytes.putU16(data, 0, data.length - 2);
      data[3] = (byte) deviceSpecific;
      data[4] = (byte) (longLba ? 1 : 0);
      Bytes.putU16(data, 6, descriptor.length);
    } else {
      data[0] = (byte) Math.min(data.length - 1, 0xFF);
      data[2] = (byte) deviceSpecific;
      data[3] = (byte) descriptor.length;
    }
    System.arraycopy(descriptor, 0, data, headerLength, descriptor.length);
    System.arraycopy(pages, 0, data, headerLength + descriptor.length, pages.length);
    return Responses.data(data, allocation);
  }

  private byte[] blockDescriptor(boolean longLba) {
    if (longLba) {
      byte[] d = new byte[16];
      Bytes.putU64(d, 0, disk.blocks());
      Bytes.putU32(d, 12, disk.blockSize());
      return d;
    }
    byte[] d = new byte[8];
    Bytes.putU32(d, 0, Math.min(disk.blocks(), 0xFFFFFFFFL));
    Bytes.putU24(d, 5, disk.blockSize());
    return d;
  }
}
