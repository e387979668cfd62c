package dev.lunar.agent.iscsi.login;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * The initiator ACL of a target, by address and by iSCSI name.
 *
 * <p>A target with neither address nor name bindings refuses everyone. Each non-empty list must
 * match: the address list by exact address, CIDR ({@code 10.0.0.0/8}, {@code fd00::/64}, brackets
 * allowed around IPv6) or {@code ALL}; the name list by name, compared without case as RFC 3722
 * normalises iSCSI names to lower case. Unlike tgt, a target bound only by name admits that name
 * from any address, as the desired-state model documents. Malformed entries match nothing and never
 * resolve through DNS.
 */
public final class AccessControl {

  private AccessControl() {}

  /** Whether {@code initiatorName} connecting from {@code address} may use {@code target}. */
  public static boolean permits(LoginTarget target, String initiatorName, InetAddress address) {
    List<String> addresses = target.initiatorAddresses();
    List<String> names = target.initiatorNames();
    if (addresses.isEmpty() && names.isEmpty()) {
      return false;
    }
    return (addresses.isEmpty() || addresses.stream().anyMatch(a -> addressMatches(a, address)))
        && (names.isEmpty() || names.stream().anyMatch(n -> nameMatches(n, initiatorName)));
  }

  /** Whether one ACL address entry admits {@code address}. */
  public static boolean addressMatches(String entry, InetAddress address) {
    String rule = entry.trim();
    if (rule.equalsIgnoreCase("ALL")) {
      return true;
    }
    int prefix = -1;
    int slash = rule.indexOf('/');
    try {
      if (slash >= 0) {
        prefix = Integer.parseInt(rule.substring(slash + 1));
        rule = rule.substring(0, slash);
      }
      if (rule.startsWith("[") && rule.endsWith("]")) {
        rule = rule.substring(1, rule.length() - 1);
      }
      byte[] network = unmap(InetAddress.ofLiteral(rule).getAddress());
      byte[] actual = unmap(address.getAddress());
      if (network.length != actual.length) {
        return false;
      }
      int bits = prefix < 0 ? network.length * 8 : prefix;
      if (bits > network.length * 8) {
        return false;
      }
      return samePrefix(network, actual, bits);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether an ACL name entry admits {@code initiatorName}. */
  public static boolean nameMatches(String entry, String initiatorName) {
    return initiatorName != null
        && entry.trim().toLowerCase(Locale.ROOT).equals(initiatorName.toLowerCase(Locale.ROOT));
  }

  private static boolean samePrefix(byte[] a, byte[] b, int bits) {
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >>> (i % 8);
      if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) compare as IPv4. */
  private static byte[] unmap(byte[] address) {
    if (address.length == 16) {
      for (int i = 0; i < 10; i++) {
        if (address[i] != 0) {
          return address;
        }
      }
      if (address[10] == (byte) 0xff && address[11] == (byte) 0xff) {
        return new byte[] {address[12], address[13], address[14], address[15]};
      }
    }
    return address;
  }
}
