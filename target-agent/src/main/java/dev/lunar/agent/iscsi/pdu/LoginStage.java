package dev.lunar.agent.iscsi.pdu;

/**
 * Byte 1 of login PDUs (RFC 7143 sections 11.12.1-11.12.3): {@code T C . . CSG(2) NSG(2)}, T =
 * transit to the next stage, C = text continues in the next PDU.
 */
final class LoginStage {

  private static final int TRANSIT = 0x80;
  private static final int CONTINUE = 0x40;

  private LoginStage() {}

  static int flags(boolean transit, boolean cont, int csg, int nsg) {
    return Bhs.flag(transit, TRANSIT) | Bhs.flag(cont, CONTINUE) | (csg & 3) << 2 | (nsg & 3);
  }

  static boolean transit(int flags) {
    return (flags & TRANSIT) != 0;
  }

  static boolean cont(int flags) {
    return (flags & CONTINUE) != 0;
  }

  static int csg(int flags) {
    return (flags >> 2) & 3;
  }

  static int nsg(int flags) {
    return flags & 3;
  }
}
