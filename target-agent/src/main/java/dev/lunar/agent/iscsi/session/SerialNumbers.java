package dev.lunar.agent.iscsi.session;

/**
 * 32-bit serial number arithmetic (RFC 1982, as RFC 7143 section 4.2.2.1 requires for CmdSN, StatSN
 * and DataSN): comparisons stay correct across the wrap from 0xffffffff to 0.
 */
final class SerialNumbers {

  private SerialNumbers() {}

  /** True when {@code a} comes before {@code b}. */
  static boolean lessThan(int a, int b) {
    return a != b && (a - b) < 0;
  }

  /** True when {@code a} comes before or equals {@code b}. */
  static boolean lessOrEqual(int a, int b) {
    return a == b || (a - b) < 0;
  }

  /** True when {@code sn} lies in the window [first, last]. */
  static boolean inWindow(int sn, int first, int last) {
    return lessOrEqual(first, sn) && lessOrEqual(sn, last);
  }
}
