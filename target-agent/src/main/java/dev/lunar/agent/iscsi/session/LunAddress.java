package dev.lunar.agent.iscsi.session;

/**
 * The 8-byte LUN field of iSCSI PDUs (SAM-5 4.7). Lunar answers with the forms Linux initiators
 * use: peripheral device addressing for LUNs below 256 (byte 0 = 0x00, byte 1 = LUN) and flat space
 * addressing above (byte 0 = 0x40 | LUN bits 13..8, byte 1 = LUN bits 7..0); the remaining six
 * bytes are zero.
 */
public final class LunAddress {

  private LunAddress() {}

  /** The LUN number a raw field addresses; -1 when it uses a form Lunar does not serve. */
  public static int decode(long raw) {
    int method = (int) (raw >>> 62) & 0x3;
    if ((raw & 0x0000_ffff_ffff_ffffL) != 0) {
      return -1; // second and lower levels: Lunar has a single level of LUNs
    }
    return switch (method) {
      case 0 -> (raw >>> 56 & 0x3f) == 0 ? (int) (raw >>> 48) & 0xff : -1; // bus 0 only
      case 1 -> (int) (raw >>> 48) & 0x3fff;
      default -> -1;
    };
  }

  /** The raw field for a LUN number, in the form {@link #decode} reads. */
  public static long encode(int lun) {
    if (lun < 256) {
      return (long) lun << 48;
    }
    return (0x4000L | lun) << 48;
  }
}
