package dev.lunar.operator.view;

import dev.lunar.crds.api.v1alpha1.IscsiNode;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;

/**
 * Whether a node's agent is alive, from its IscsiNode and its heartbeat Lease (renewed every 10 s,
 * valid for its {@code leaseDurationSeconds}, 40 s): a dead agent makes its targets {@code
 * NodeUnavailable} within about that long.
 *
 * @param available the agent registered and its heartbeat is current
 * @param message why not, for a condition; null when available
 * @param validFor how long the current heartbeat stays valid without a renewal (zero when
 *     unavailable), so a reconciler can look again right when it would expire
 */
public record NodeHealth(boolean available, String message, Duration validFor) {

  static final int DEFAULT_LEASE_SECONDS = 40;

  /** The agent's Lease name for a node (the agent's {@code Heartbeat} writes it). */
  public static String leaseName(String node) {
    return "lunar-agent-" + node;
  }

  public static NodeHealth of(String nodeName, IscsiNode node, Lease lease, Instant now) {
    if (node == null) {
      return down("no agent has registered node " + nodeName + " (no IscsiNode " + nodeName + ")");
    }
    if (lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null) {
      return down("the agent on node " + nodeName + " has no heartbeat Lease");
    }
    ZonedDateTime renewed = lease.getSpec().getRenewTime();
    Integer seconds = lease.getSpec().getLeaseDurationSeconds();
    Duration valid = Duration.ofSeconds(seconds == null ? DEFAULT_LEASE_SECONDS : seconds);
    Duration age = Duration.between(renewed.toInstant(), now);
    if (age.compareTo(valid) > 0) {
      return down(
          "the agent on node "
              + nodeName
              + " last renewed its heartbeat "
              + age.toSeconds()
              + " s ago");
    }
    return new NodeHealth(true, null, valid.minus(age.isNegative() ? Duration.ZERO : age));
  }

  private static NodeHealth down(String message) {
    return new NodeHealth(false, message, Duration.ZERO);
  }
}
