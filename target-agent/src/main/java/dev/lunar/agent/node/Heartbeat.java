package dev.lunar.agent.node;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The agent's liveness, as a Lease in its namespace renewed every {@link #RENEW_SECONDS}: the
 * operator reads it and marks the node's targets NodeUnavailable once it is older than {@link
 * #DURATION_SECONDS}. A Lease, not a status field, so liveness never rewrites the IscsiNode.
 */
final class Heartbeat {

  static final int RENEW_SECONDS = 10;
  static final int DURATION_SECONDS = 40;

  private final KubernetesClient client;
  private final String namespace;
  private final String node;
  private final Clock clock;

  Heartbeat(KubernetesClient client, String namespace, String node, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.node = node;
    this.clock = clock;
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
            .withLeaseDurationSeconds(DURATION_SECONDS)
            .withRenewTime(now)
            .endSpec()
            .build();
    client.leases().inNamespace(namespace).resource(lease).serverSideApply();
  }
}
