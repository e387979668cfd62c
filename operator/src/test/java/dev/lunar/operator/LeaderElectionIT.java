package dev.lunar.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas with leader election on the real API server: one holds the Lease and
 * reconciles, the other waits; when the leader goes, the other takes over and carries on.
 */
class LeaderElectionIT {

  private static final String SYSTEM = "lunar-system";

  @Test
  void oneReplicaLeadsAndTheOtherTakesOverWhenItGoes() {
    try (RealApiServer apiServer = RealApiServer.start()) {
      apiServer.applyCommittedCrds();
      KubernetesClient client = apiServer.client();
      for (String ns : List.of(SYSTEM, "demo")) {
        client
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .create();
      }
      KubernetesClient clientA = new RequestCounter().client(apiServer.kubeConfigYaml());
      KubernetesClient clientB = new RequestCounter().client(apiServer.kubeConfigYaml());
      Map<String, LunarOperator> replicas =
          new java.util.HashMap<>(
              Map.of(
                  "replica-a",
                  start(clientA, "replica-a"),
                  "replica-b",
                  start(clientB, "replica-b")));
      try {
        create(client, "first");
        Commands.await(
            "first has a status (no agent: NodeUnavailable)",
            Duration.ofSeconds(60),
            () -> target(client, "first"),
            t -> t.getStatus() != null);
        String leader = holder(client);
        assertThat(leader).isIn("replica-a", "replica-b");
        replicas.remove(leader).close();

        create(client, "second");
        Commands.await(
            "the other replica takes the Lease and reconciles second",
            Duration.ofSeconds(90),
            () -> target(client, "second"),
            t -> t.getStatus() != null);
        assertThat(holder(client)).isNotEqualTo(leader);
      } finally {
        replicas.values().forEach(LunarOperator::close);
        clientA.close();
        clientB.close();
      }
    }
  }

  private static LunarOperator start(KubernetesClient client, String identity) {
    var local = new InetSocketAddress("127.0.0.1", 0);
    return LunarOperator.start(
        client, new OperatorSettings(SYSTEM, true, "lunar-operator", identity, local, local));
  }

  private static String holder(KubernetesClient client) {
    Lease lease = client.leases().inNamespace(SYSTEM).withName("lunar-operator").get();
    return lease.getSpec().getHolderIdentity();
  }

  private static void create(KubernetesClient client, String name) {
    String yaml =
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiTarget
        metadata: {name: %s, namespace: demo}
        spec: {node: nowhere}
        """
            .formatted(name);
    client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).create();
  }

  private static IscsiTarget target(KubernetesClient client, String name) {
    return client.resources(IscsiTarget.class).inNamespace("demo").withName(name).get();
  }
}
