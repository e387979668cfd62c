package dev.lunar.agent.scsi;

/** Big-endian field access on byte arrays, as every SCSI structure is big-endian. */
final class Bytes {

  private Bytes() {}

  static int u8(byte[] b, int i) {
    return b[i] & 0xff;
  }

  static int u16(byte[] b, int i) {
    return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
  }

  static int u24(byte[] b, int i) {
    return (b[i] & 0xff) << 16 | u16(b, i + 1);
  }

  static long u32(byte[] b, int i) {
    return ((long) u16(b, i) << 16) | u16(b, i + 2);
  }

  static long u64(byte[] b, int i) {
    return (u32(b, i) << 32) | u32(b, i + 4);
  }

  static void putU16(byte[] b, int i, int v) {
    b[i] = (byte) (v >>> 8);
    b[i + 1] = (byte) v;
  }

  static void putU24(byte[] b, int i, int v) {
    b[i] = (byte) (v >>> 16);
    putU16(b, i + 1, v);
  }

  static void putU32(byte[] b, int i, long v) {
    putU16(b, i, (int) (v >>> 16));
    putU16(b, i + 2, (int) v);
  }

  static void putU64(byte[] b, int i, long v) {
    putU32(b, i, v >>> 32);
    putU32(b, i + 4, v);
  }

  /** Copies ASCII text left-aligned into a space-padded field, truncating what does not fit. */
  static void putAscii(byte[] b, int i, int width, String text) {
    for (int k = 0; k < width; k++) {
      b[i + k] = k < text.length() ? (byte) text.charAt(k) : (byte) ' ';
    }
  }
}
