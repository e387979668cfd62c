package dev.lunar.agent.scsi;

import static dev.lunar.agent.scsi.Opcodes.READ_CAPACITY_10;
import static dev.lunar.agent.scsi.Opcodes.SERVICE_ACTION_IN_16;
import static dev.lunar.agent.scsi.Opcodes.TEST_UNIT_READY;

/**
 * READ CAPACITY (10) (0x25, SBC-3 5.15) and READ CAPACITY (16) (SERVICE ACTION IN (16) 0x9E,
 * service action 0x10, SBC-3 5.16).
 */
final class ReadCapacityCommand implements CommandHandler {

  static final int SA_READ_CAPACITY_16 = 0x10;
  static final int SA_GET_LBA_STATUS = 0x12;

  private final Disk disk;
  private final CommandHandler getLbaStatus;

  ReadCapacityCommand(Disk disk, CommandHandler getLbaStatus) {
    this.disk = disk;
    this.getLbaStatus = getLbaStatus;
  }

  /**
   * Whether a command is one after which an initiator looks at the capacity (TEST UNIT READY, READ
   * CAPACITY): the unit checks then whether the store was resized.
   */
  static boolean asksCapacity(int opcode) {
    return opcode == TEST_UNIT_READY
        || opcode == READ_CAPACITY_10
        || opcode == SERVICE_ACTION_IN_16;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb)
      throws CheckCondition, java.io.IOException {
    if (cdb.opcode() == READ_CAPACITY_10) {
      return capacity10(cdb);
    }
    return switch (cdb.serviceAction()) {
      case SA_READ_CAPACITY_16 -> capacity16(cdb);
      case SA_GET_LBA_STATUS -> {
        if (getLbaStatus == null) {
          throw CheckCondition.invalidCdbField(1);
        }
        yield getLbaStatus.execute(request, cdb);
      }
      default -> throw CheckCondition.invalidCdbField(1);
    };
  }

  /**
   * Data: bytes 0-3 last LBA (0xFFFFFFFF when it does not fit, telling the initiator to ask again
   * with READ CAPACITY (16)), bytes 4-7 block length.
   */
  private ScsiResult capacity10(Cdb cdb) throws CheckCondition {
    cdb.require(10);
    if (!cdb.bit(8, 0) && cdb.u32(2) != 0) {
      // An LBA is only meaningful with PMI (obsolete in SBC-3, answered as if clear).
      throw CheckCondition.invalidCdbField(2);
    }
    byte[] data = new byte[8];
    long last = disk.blocks() - 1;
    Bytes.putU32(data, 0, last > 0xFFFFFFFFL ? 0xFFFFFFFFL : Math.max(last, 0));
    Bytes.putU32(data, 4, disk.blockSize());
    return Responses.data(data, data.length);
  }

  /**
   * Data, 32 bytes: 0-7 last LBA, 8-11 block length, 12 protection, 13 logical blocks per physical
   * block exponent, 14 bit 7 LBPME | bit 6 LBPRZ | lowest aligned LBA high bits, 15 low. CDB bytes
   * 10-13 allocation length.
   */
  private ScsiResult capacity16(Cdb cdb) throws CheckCondition {
    cdb.require(16);
    long allocation = cdb.u32(10);
    byte[] data = new byte[32];
    Bytes.putU64(data, 0, Math.max(disk.blocks() - 1, 0));
    Bytes.putU32(data, 8, disk.blockSize());
    data[13] = (byte) disk.logicalPerPhysicalExponent();
    if (disk.thin()) {
      data[14] = (byte) 0xC0;
    }
    return Responses.data(data, allocation);
  }
}
