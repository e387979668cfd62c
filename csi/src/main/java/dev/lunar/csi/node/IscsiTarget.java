package dev.lunar.csi.node;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A target as the initiator addresses it: the portal it logs in through and its IQN. Two volumes
 * with equal targets share one iSCSI session on this node.
 *
 * @param address the portal's IP address, without brackets
 * @param port the portal's TCP port
 * @param iqn the target's name
 */
public record IscsiTarget(String address, int port, String iqn) {

  /** The iSCSI port that a portal without one means (RFC 7143 section 13.5). */
  static final int DEFAULT_PORT = 3260;

  /**
   * Parses a volume context's portal, {@code host[:port]} or {@code [v6addr][:port]}. A host name
   * is resolved here: udev names the device after the address the session connected to, so the
   * by-path link can only be predicted from an address.
   *
   * @throws IllegalArgumentException when the portal is malformed or its host does not resolve
   */
  public static IscsiTarget parse(String portal, String iqn) {
    if (iqn == null || iqn.isBlank() || iqn.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("target IQN \"" + iqn + "\" is not a target name");
    }
    if (portal == null || portal.isBlank()) {
      throw new IllegalArgumentException("no portal");
    }
    String host;
    String port = null;
    if (portal.startsWith("[")) {
      int close = portal.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("portal \"" + portal + "\" has no closing ]");
      }
      host = portal.substring(1, close);
      String rest = portal.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("portal \"" + portal + "\" is not [address]:port");
        }
        port = rest.substring(1);
      }
    } else {
      int colon = portal.lastIndexOf(':');
      host = colon < 0 ? portal : portal.substring(0, colon);
      port = colon < 0 ? null : portal.substring(colon + 1);
      if (host.contains(":")) {
        throw new IllegalArgumentException("IPv6 portal \"" + portal + "\" needs [brackets]");
      }
    }
    return new IscsiTarget(resolve(host, portal), parsePort(port, portal), iqn);
  }

  private static String resolve(String host, String portal) {
    try {
      return InetAddress.ofLiteral(host).getHostAddress();
    } catch (IllegalArgumentException notALiteral) {
      try {
        return InetAddress.getByName(host).getHostAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("portal \"" + portal + "\": unknown host " + host);
      }
    }
  }

  private static int parsePort(String port, String portal) {
    if (port == null) {
      return DEFAULT_PORT;
    }
    try {
      int value = Integer.parseInt(port);
      if (value > 0 && value < 65536) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("portal \"" + portal + "\" has no valid port");
  }

  /** The portal as iscsiadm's {@code -p} takes it. */
  public String portal() {
    return isIpv6() ? "[" + address + "]:" + port : address + ":" + port;
  }

  /**
   * The name of udev's link in /dev/disk/by-path for one LUN of this target, as udev builds it from
   * the session's connection address and port (no brackets, even for IPv6).
   */
  public String byPathName(int lun) {
    return "ip-" + address + ":" + port + "-iscsi-" + iqn + "-lun-" + lun;
  }

  private boolean isIpv6() {
    return InetAddress.ofLiteral(address) instanceof Inet6Address;
  }

  @Override
  public String toString() {
    return iqn + " at " + portal();
  }
}
