package dev.lunar.csi.health;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the health endpoint listens and how long one probe may take, from the options both CSI
 * commands share: {@code --health-address HOST:PORT} and {@code --probe-timeout DURATION}.
 *
 * @param address the address to bind: the chart gives the pod's own IP, which is all kubelet dials
 * @param probeTimeout how long one Probe may take, dialling included (livenessprobe's default 1 s)
 */
public record HealthOptions(InetSocketAddress address, Duration probeTimeout) {

  public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(1);

  private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s)");

  /**
   * {@code HOST:PORT}, the host an IPv4 address, a name, or an IPv6 address (bare or in brackets,
   * since the chart writes {@code $(POD_IP):PORT} whatever the pod's address family).
   */
  public static InetSocketAddress address(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException("health address " + value + " is not HOST:PORT");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("health address " + value + " has no port number");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("health address " + value + ": port out of range");
    }
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("health address " + value + ": unknown host " + host);
    }
    return address;
  }

  /** {@code 500ms} or {@code 2s}, the way the sidecars write their timeouts; positive. */
  public static Duration timeout(String value) {
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException("probe timeout " + value + " is not like 500ms or 2s");
    }
    long amount = Long.parseLong(m.group(1));
    Duration timeout =
        m.group(2).equals("ms") ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
    if (timeout.isZero()) {
      throw new IllegalArgumentException("probe timeout must be positive");
    }
    return timeout;
  }
}
