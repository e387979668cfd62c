package dev.lunar.agent.scsi;

import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * UNMAP (0x42, SBC-3 5.28), offered on thin units only. CDB: byte 1 bit 0 ANCHOR, bytes 7-8
 * parameter list length. Parameter list: 0-1 UNMAP data length (n - 2), 2-3 block descriptor data
 * length, 4-7 reserved, then 16-byte descriptors: 0-7 LBA, 8-11 number of blocks. Every descriptor
 * is checked before any is applied, so a bad list changes nothing.
 */
final class UnmapCommand implements CommandHandler {

  private final Disk disk;

  UnmapCommand(Disk disk) {
    this.disk = disk;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition, IOException {
    cdb.require(10);
    if (cdb.bit(1, 0)) {
      throw CheckCondition.invalidCdbBit(1, 0);
    }
    int listLength = cdb.u16(7);
    disk.checkWritable();
    if (listLength == 0) {
      return Responses.good();
    }
    if (listLength < 8) {
      throw CheckCondition.of(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
    }
    ByteBuf list = request.dataOut();
    if (list == null || list.readableBytes() < listLength) {
      throw CheckCondition.of(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
    }
    int base = list.readerIndex();
    int descriptorBytes = list.getUnsignedShort(base + 2);
    if (descriptorBytes % 16 != 0 || 8 + descriptorBytes > listLength) {
      throw CheckCondition.invalidParameter(2);
    }
    int count = descriptorBytes / 16;
    if (count > VpdPages.MAX_UNMAP_DESCRIPTORS) {
      throw CheckCondition.invalidParameter(2);
    }
    long[] lbas = new long[count];
    long[] lengths = new long[count];
    for (int i = 0; i < count; i++) {
      int at = base + 8 + 16 * i;
      lbas[i] = list.getLong(at);
      lengths[i] = list.getUnsignedInt(at + 8);
      if (lengths[i] > VpdPages.MAX_UNMAP_BLOCKS) {
        throw CheckCondition.invalidParameter(8 + 16 * i + 8);
      }
      disk.checkRange(lbas[i], lengths[i]);
    }
    for (int i = 0; i < count; i++) {
      if (lengths[i] == 0) {
        continue;
      }
      long offset = disk.offset(lbas[i]);
      long length = lengths[i] * disk.blockSize();
      disk.locked(lbas[i], lengths[i], () -> disk.store().punchHole(offset, length));
    }
    return Responses.goodAfterDataOut(listLength);
  }
}
