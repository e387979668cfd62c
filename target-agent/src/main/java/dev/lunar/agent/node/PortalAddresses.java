package dev.lunar.agent.node;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portals the agent reports in its IscsiNode status, which the operator copies into every
 * PersistentVolume's targetPortal: addresses an initiator can connect to, never a wildcard. A
 * portal bound to 0.0.0.0 or :: is reported as the node's own addresses instead: those in {@code
 * HOST_IP} (the pod's {@code status.hostIP}; comma-separated for dual-stack) when it is set,
 * otherwise the host's interface addresses, sorted, and loopback only when there is nothing else. A
 * 0.0.0.0 portal only accepts IPv4, so it is reported with IPv4 addresses only; :: takes both.
 */
final class PortalAddresses {

  private static final Logger log = LoggerFactory.getLogger(PortalAddresses.class);

  /** Orders IPv4 before IPv6, then by address bytes: the same host always reports the same list. */
  static final Comparator<InetAddress> ORDER =
      Comparator.<InetAddress>comparingInt(a -> a.getAddress().length)
          .thenComparing(InetAddress::getAddress, java.util.Arrays::compareUnsigned);

  private PortalAddresses() {}

  /**
   * The portals to report, in order, without duplicates.
   *
   * @param bound the addresses the portals are bound to
   * @param hostIps the addresses from {@code HOST_IP}, empty when it is not set
   * @param interfaces the host's addresses, asked for only when a wildcard portal needs them
   */
  static List<String> report(
      List<InetSocketAddress> bound,
      List<InetAddress> hostIps,
      Supplier<List<InetAddress>> interfaces) {
    Set<String> portals = new LinkedHashSet<>();
    for (InetSocketAddress address : bound) {
      if (!address.getAddress().isAnyLocalAddress()) {
        portals.add(format(address.getAddress(), address.getPort()));
        continue;
      }
      boolean ipv4Only = address.getAddress() instanceof Inet4Address;
      for (InetAddress reachable : reachable(ipv4Only, hostIps, interfaces)) {
        portals.add(format(reachable, address.getPort()));
      }
    }
    return List.copyOf(portals);
  }

  private static List<InetAddress> reachable(
      boolean ipv4Only, List<InetAddress> hostIps, Supplier<List<InetAddress>> interfaces) {
    List<InetAddress> given = ofFamily(ipv4Only, hostIps);
    if (!given.isEmpty()) {
      return given;
    }
    List<InetAddress> found =
        ofFamily(ipv4Only, interfaces.get()).stream()
            .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
            .sorted(ORDER)
            .toList();
    if (!found.isEmpty()) {
      return found;
    }
    return List.of(
        ipv4Only ? InetAddress.ofLiteral("127.0.0.1") : InetAddress.getLoopbackAddress());
  }

  private static List<InetAddress> ofFamily(boolean ipv4Only, List<InetAddress> addresses) {
    return addresses.stream().filter(a -> !ipv4Only || a instanceof Inet4Address).toList();
  }

  /**
   * The addresses in {@code HOST_IP}: IP literals separated by commas, never resolved as names. A
   * malformed entry is skipped with a warning rather than keeping the agent from starting.
   */
  static List<InetAddress> parseHostIps(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    List<InetAddress> addresses = new ArrayList<>();
    for (String part : value.split(",")) {
      String literal = part.strip();
      if (literal.isEmpty()) {
        continue;
      }
      try {
        InetAddress address = InetAddress.ofLiteral(literal);
        if (!address.isAnyLocalAddress()) {
          addresses.add(address);
        }
      } catch (IllegalArgumentException e) {
        log.warn("HOST_IP: '{}' is not an IP address, ignored", literal);
      }
    }
    return List.copyOf(addresses);
  }

  /** The addresses of the host's interfaces that are up; loopback and link-local ones included. */
  static List<InetAddress> interfaceAddresses() {
    try {
      List<InetAddress> addresses = new ArrayList<>();
      for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
        if (nic.isUp()) {
          nic.inetAddresses().forEach(addresses::add);
        }
      }
      return addresses;
    } catch (SocketException e) {
      log.warn("cannot list the network interfaces: {}", e.getMessage());
      return List.of();
    }
  }

  /** {@code a.b.c.d:port}, or {@code [v6]:port} with the address in its short form (RFC 5952). */
  static String format(InetAddress address, int port) {
    if (address instanceof Inet6Address v6) {
      return "[" + NetUtil.toAddressString(v6) + "]:" + port;
    }
    return address.getHostAddress() + ":" + port;
  }
}
