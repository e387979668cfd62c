package dev.lunar.agent.scsi;

/**
 * The LBA, block count and byte 1 flags of a READ, WRITE, VERIFY or similar CDB, decoded from its
 * size-specific layout (SBC-3 5.x):
 *
 * <pre>
 *  6-byte:  LBA bytes 1-3 (21 bits), blocks byte 4 (0 = 256 for READ/WRITE (6))
 *  10-byte: flags byte 1, LBA 2-5, blocks 7-8
 *  12-byte: flags byte 1, LBA 2-5, blocks 6-9
 *  16-byte: flags byte 1, LBA 2-9, blocks 10-13
 * </pre>
 *
 * @param lengthField CDB index of the transfer length, for sense field pointers
 */
record BlockRange(long lba, long blocks, int flags, int lengthField) {

  static BlockRange decode(Cdb cdb) throws CheckCondition {
    int group = cdb.opcode() >>> 5;
    return switch (group) {
      case 0 -> {
        cdb.require(6);
        int blocks = cdb.u8(4);
        yield new BlockRange(cdb.u24(1) & 0x1FFFFF, blocks == 0 ? 256 : blocks, 0, 4);
      }
      case 1, 2 -> {
        cdb.require(10);
        yield new BlockRange(cdb.u32(2), cdb.u16(7), cdb.u8(1), 7);
      }
      case 5 -> {
        cdb.require(12);
        yield new BlockRange(cdb.u32(2), cdb.u32(6), cdb.u8(1), 6);
      }
      case 4 -> {
        cdb.require(16);
        yield new BlockRange(cdb.u64(2), cdb.u32(10), cdb.u8(1), 10);
      }
      default -> throw CheckCondition.of(SenseCode.INVALID_COMMAND_OPERATION_CODE);
    };
  }

  /** RDPROTECT / WRPROTECT / VRPROTECT, bits 7-5 of byte 1. */
  int protect() {
    return flags >>> 5 & 0x7;
  }

  boolean fua() {
    return (flags & 0x08) != 0;
  }

  /** Fails when protection information is asked for: this device model has none. */
  BlockRange requireNoProtection() throws CheckCondition {
    if (protect() != 0) {
      throw CheckCondition.invalidCdbBit(1, 7);
    }
    return this;
  }

  /** Checks the range against the medium and the transfer limit; returns the byte count. */
  int bytesWithin(Disk disk) throws CheckCondition {
    disk.checkRange(lba, blocks);
    if (blocks > disk.maxTransferBlocks()) {
      throw CheckCondition.invalidCdbField(lengthField);
    }
    return (int) (blocks * disk.blockSize());
  }
}
