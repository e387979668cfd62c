package dev.lunar.agent.scsi;

/**
 * Builds sense data (SPC-4 4.5). Fixed format, 18 bytes:
 *
 * <pre>
 *  0     0x70 current error, bit 7 VALID when INFORMATION is set
 *  2     sense key (low nibble)
 *  3-6   INFORMATION
 *  7     additional sense length (10)
 *  12    ASC, 13 ASCQ
 *  15-17 sense-key-specific: bit 7 SKSV, bit 6 C/D (1 = CDB), bit 3 BPV, bits 2-0 bit pointer;
 *        16-17 field pointer
 * </pre>
 *
 * Descriptor format (0x72): 8-byte header (1 key, 2 ASC, 3 ASCQ, 7 additional length) then
 * descriptors: information (type 0x00, 12 bytes, VALID bit 7 of byte 2, 4-11 the value) and sense
 * key specific (type 0x02, 8 bytes, 4-6 the SKS bytes). Used when REQUEST SENSE asks for it or
 * D_SENSE is set in the control mode page.
 */
final class Sense {

  static final int FIXED_LENGTH = 18;

  private Sense() {}

  static byte[] fixed(SenseCode code) {
    return fixed(code, -1, -1);
  }

  /**
   * @param senseKeySpecific the three SKS bytes as a 24-bit value, or -1
   * @param information the INFORMATION field, or -1 when not valid
   */
  static byte[] fixed(SenseCode code, int senseKeySpecific, long information) {
    byte[] sense = new byte[FIXED_LENGTH];
    sense[0] = 0x70;
    sense[2] = (byte) code.key();
    if (information >= 0 && information <= 0xFFFFFFFFL) {
      sense[0] |= (byte) 0x80;
      Bytes.putU32(sense, 3, information);
    }
    sense[7] = FIXED_LENGTH - 8;
    sense[12] = (byte) code.asc();
    sense[13] = (byte) code.ascq();
    if (senseKeySpecific >= 0) {
      Bytes.putU24(sense, 15, senseKeySpecific);
    }
    return sense;
  }

  /** Descriptor-format sense without descriptors (SPC-4 4.5.2). */
  static byte[] descriptor(SenseCode code) {
    return descriptor(code, -1, -1);
  }

  /** Descriptor-format sense (SPC-4 4.5.2) with the same optional fields as {@link #fixed}. */
  static byte[] descriptor(SenseCode code, int senseKeySpecific, long information) {
    int length = 8 + (information >= 0 ? 12 : 0) + (senseKeySpecific >= 0 ? 8 : 0);
    byte[] sense = new byte[length];
    sense[0] = 0x72;
    sense[1] = (byte) code.key();
    sense[2] = (byte) code.asc();
    sense[3] = (byte) code.ascq();
    sense[7] = (byte) (length - 8);
    int at = 8;
    if (information >= 0) {
      sense[at + 1] = 0x0A;
      sense[at + 2] = (byte) 0x80;
      Bytes.putU64(sense, at + 4, information);
      at += 12;
    }
    if (senseKeySpecific >= 0) {
      sense[at] = 0x02;
      sense[at + 1] = 0x06;
      Bytes.putU24(sense, at + 4, senseKeySpecific);
    }
    return sense;
  }

  /** SKS field pointer into the CDB; {@code bit} -1 when the whole byte is meant. */
  static int cdbFieldPointer(int index, int bit) {
    int flags = 0x80 | 0x40 | (bit >= 0 ? 0x08 | (bit & 0x7) : 0);
    return flags << 16 | (index & 0xffff);
  }

  /** SKS field pointer into the parameter list (C/D clear). */
  static int parameterFieldPointer(int index) {
    return 0x80 << 16 | (index & 0xffff);
  }
}
