package dev.lunar.operator;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;

/**
 * How the operator runs, from the environment the chart sets.
 *
 * @param systemNamespace where agents keep their heartbeat Leases and the operator writes the
 *     per-node credential Secrets ({@code POD_NAMESPACE})
 * @param leaderElection whether to take the leader Lease first, so replicas are safe ({@code
 *     LUNAR_LEADER_ELECTION})
 * @param leaseName the leader Lease ({@code LUNAR_LEASE_NAME})
 * @param identity this replica in the leader Lease ({@code POD_NAME})
 * @param metricsAddress {@code /metrics} ({@code LUNAR_METRICS_ADDRESS}, host:port; port 0 picks a
 *     free one)
 * @param healthAddress {@code /healthz} and {@code /readyz} ({@code LUNAR_HEALTH_ADDRESS})
 */
public record OperatorSettings(
    String systemNamespace,
    boolean leaderElection,
    String leaseName,
    String identity,
    InetSocketAddress metricsAddress,
    InetSocketAddress healthAddress) {

  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    return new OperatorSettings(
        env.getOrDefault("POD_NAMESPACE", "lunar-system"),
        Boolean.parseBoolean(env.getOrDefault("LUNAR_LEADER_ELECTION", "false")),
        env.getOrDefault("LUNAR_LEASE_NAME", "lunar-operator"),
        env.getOrDefault(
            "POD_NAME", Objects.requireNonNullElse(env.get("HOSTNAME"), "lunar-operator")),
        address(env.getOrDefault("LUNAR_METRICS_ADDRESS", "0.0.0.0:8080")),
        address(env.getOrDefault("LUNAR_HEALTH_ADDRESS", "0.0.0.0:8081")));
  }

  /** {@code host:port}; a clear error for anything else. */
  static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + hostPort + "'");
    }
    try {
      return new InetSocketAddress(
          hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + hostPort + "'", e);
    }
  }
}
