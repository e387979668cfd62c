package dev.lunar.agent.node;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The agent's liveness, as a Lease in its namespace valid for {@code LUNAR_HEARTBEAT_SECONDS}
 * (default 40) and renewed four times as often: the operator reads it and marks the node's targets
 * NodeUnavailable once it is older than that. A Lease, not a status field, so liveness never
 * rewrites the IscsiNode.
 */
final class Heartbeat {

  static final int DEFAULT_DURATION_SECONDS = 40;

  private final KubernetesClient client;
  private final String namespace;
  private final String node;
  private final Clock clock;
  private final int durationSeconds;

  Heartbeat(
      KubernetesClient client, String namespace, String node, Clock clock, int durationSeconds) {
    if (durationSeconds < 4) {
      throw new IllegalArgumentException(
          "LUNAR_HEARTBEAT_SECONDS must be at least 4, got " + durationSeconds);
    }
    this.client = client;
    this.namespace = namespace;
    this.node = node;
    this.clock = clock;
    this.durationSeconds = durationSeconds;
  }

  /** The Lease's validity from {@code LUNAR_HEARTBEAT_SECONDS}, or the default. */
  static int durationFrom(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_DURATION_SECONDS;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "LUNAR_HEARTBEAT_SECONDS must be a number of seconds, got '" + value + "'", e);
    }
  }

  int renewSeconds() {
    return durationSeconds / 4;
  }

  /** The Lease's name for a node. */
  static String leaseName(String node) {
    return "lunar-agent-" + node;
  }

  void beat() {
    ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC);
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(leaseName(node))
            .withNamespace(namespace)
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(node)
            .withLeaseDurationSeconds(durationSeconds)
            .withRenewTime(now)
            .endSpec()
            .build();
    client.leases().inNamespace(namespace).resource(lease).serverSideApply();
  }
}
