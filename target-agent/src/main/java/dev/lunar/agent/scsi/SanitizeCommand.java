package dev.lunar.agent.scsi;

import io.netty.buffer.ByteBuf;

/**
 * SANITIZE (0x48, SBC-4 5.30). CDB: byte 1 bit 7 IMMED, bit 6 reserved, bit 5 AUSE, bits 4-0
 * service action (0x01 OVERWRITE, 0x02 BLOCK ERASE, 0x03 CRYPTO ERASE, 0x1F EXIT FAILURE MODE);
 * bytes 2-6 reserved; 7-8 parameter list length. OVERWRITE parameter list: byte 0 INVERT bit 7,
 * TEST bits 6-5, OVERWRITE COUNT bits 4-0; 2-3 initialization pattern length; 4.. the pattern.
 *
 * <p>BLOCK ERASE and CRYPTO ERASE exist on thin units only and deallocate every block, which then
 * reads as zeros: the stores keep no key to destroy, so deallocation is what makes the old data
 * unreachable.
 */
final class SanitizeCommand implements CommandHandler {

  static final int OVERWRITE = 0x01;
  static final int BLOCK_ERASE = 0x02;
  static final int CRYPTO_ERASE = 0x03;
  static final int EXIT_FAILURE_MODE = 0x1F;

  private final Disk disk;
  private final Sanitizer sanitizer;

  SanitizeCommand(Disk disk, Sanitizer sanitizer) {
    this.disk = disk;
    this.sanitizer = sanitizer;
  }

  /** The service actions this disk implements, for REPORT SUPPORTED OPERATION CODES. */
  static int[] serviceActions(Disk disk) {
    return disk.thin()
        ? new int[] {OVERWRITE, BLOCK_ERASE, CRYPTO_ERASE, EXIT_FAILURE_MODE}
        : new int[] {OVERWRITE, EXIT_FAILURE_MODE};
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition {
    cdb.require(10);
    int flags = cdb.u8(1);
    boolean immediate = (flags & 0x80) != 0;
    int action = flags & 0x1F;
    if ((flags & 0x40) != 0) {
      throw CheckCondition.invalidCdbBit(1, 6);
    }
    for (int i = 2; i <= 6; i++) {
      if (cdb.u8(i) != 0) {
        throw CheckCondition.invalidCdbField(i);
      }
    }
    int length = cdb.u16(7);
    boolean thin = disk.thin();
    switch (action) {
      case OVERWRITE -> {
        Sanitizer.Operation overwrite = overwrite(request.dataOut(), length);
        disk.checkWritable();
        sanitizer.start(overwrite, immediate, request.nexus(), request.taskTag());
      }
      case BLOCK_ERASE, CRYPTO_ERASE -> {
        if (!thin) {
          throw CheckCondition.invalidCdbField(1);
        }
        requireNoParameters(length);
        disk.checkWritable();
        sanitizer.start(Sanitizer::deallocateAll, immediate, request.nexus(), request.taskTag());
      }
      case EXIT_FAILURE_MODE -> {
        requireNoParameters(length);
        sanitizer.exitFailureMode();
      }
      default -> throw CheckCondition.invalidCdbField(1);
    }
    return Responses.goodAfterDataOut(length);
  }

  private static void requireNoParameters(int length) throws CheckCondition {
    if (length != 0) {
      throw CheckCondition.invalidCdbField(7);
    }
  }

  /** Checks an OVERWRITE parameter list and returns the operation it asks for. */
  private Sanitizer.Operation overwrite(ByteBuf list, int length) throws CheckCondition {
    if (length <= 4 || length > disk.blockSize() + 4) {
      throw CheckCondition.invalidCdbField(7);
    }
    if (list == null || list.readableBytes() < length) {
      throw CheckCondition.of(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
    }
    int base = list.readerIndex();
    int control = list.getUnsignedByte(base);
    int passes = control & 0x1F;
    int patternLength = list.getUnsignedShort(base + 2);
    if ((control & 0x60) != 0) {
      throw CheckCondition.invalidParameter(0);
    }
    if (passes == 0) {
      throw CheckCondition.invalidParameter(0);
    }
    if (patternLength == 0 || patternLength > disk.blockSize() || patternLength > length - 4) {
      throw CheckCondition.invalidParameter(2);
    }
    byte[] pattern = new byte[patternLength];
    list.getBytes(base + 4, pattern);
    return Sanitizer.overwrite(pattern, passes, (control & 0x80) != 0);
  }
}
