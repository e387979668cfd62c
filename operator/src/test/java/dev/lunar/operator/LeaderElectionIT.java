package dev.lunar.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.testing.Commands;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two operator replicas with leader election on the real API server: the leader (the operator jar
 * as a process) holds the Lease and reconciles; the follower (in this JVM, its requests counted)
 * writes nothing while it waits; when the leader dies by kill -9, without a chance to let go of the
 * Lease, the follower takes over once the Lease expires and carries on.
 */
class LeaderElectionIT {

  private static final String SYSTEM = "lunar-system";
  private static final String LEADER = "replica-jar";
  private static final String FOLLOWER = "replica-in-process";

  @TempDir Path dir;

  @Test
  void theFollowerWritesNothingAndTakesOverWithinTheLeaseWhenTheLeaderIsKilled() throws Exception {
    try (RealApiServer apiServer = RealApiServer.start()) {
      apiServer.applyCommittedCrds();
      KubernetesClient client = apiServer.client();
      for (String ns : List.of(SYSTEM, "demo")) {
        client
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .create();
      }
      try (OperatorProcess leader =
          new OperatorProcess(
              dir,
              apiServer.kubeConfigYaml(),
              SYSTEM,
              Map.of("LUNAR_LEADER_ELECTION", "true", "POD_NAME", LEADER))) {
        Commands.await(
            "the jar takes the Lease",
            Duration.ofSeconds(60),
            () -> holder(client),
            LEADER::equals);
        RequestCounter followerRequests = new RequestCounter();
        KubernetesClient followerClient = followerRequests.client(apiServer.kubeConfigYaml());
        LunarOperator follower = start(followerClient, FOLLOWER);
        try {
          create(client, "first");
          Commands.await(
              "the leader reconciles first (no agent: NodeUnavailable)",
              Duration.ofSeconds(60),
              () -> target(client, "first"),
              t -> t.getStatus() != null);
          // A few of the follower's Lease retry periods, with work to do that is not its own.
          Thread.sleep(LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE.multipliedBy(3));
          System.out.println(
              "follower's requests while not leader: " + followerRequests.snapshot());
          // Not counted: its Lease, and the SelfSubjectRulesReview JOSDK posts at start to ask
          // whether it may use Leases, a question the API server answers without storing anything.
          assertThat(followerRequests.writesExcept("/leases/", "/selfsubjectrulesreviews"))
              .as("writes by the follower: %s", followerRequests.recentWrites())
              .isZero();
          assertThat(holder(client)).isEqualTo(LEADER);

          long killed = System.nanoTime();
          leader.kill9();
          Duration limit =
              LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE.plus(
                  LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE);
          Commands.await(
              "the follower takes the Lease", limit, () -> holder(client), FOLLOWER::equals);
          Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
          System.out.printf(
              "leader kill -9: the follower took over after %.1f s (Lease %d s, renew deadline"
                  + " %d s, retry every %d s)%n",
              takeover.toMillis() / 1000.0,
              LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE.toSeconds(),
              LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE.toSeconds(),
              LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE.toSeconds());

          create(client, "second");
          Commands.await(
              "the new leader reconciles second",
              Duration.ofSeconds(60),
              () -> target(client, "second"),
              t -> t.getStatus() != null);
        } finally {
          follower.close();
          followerClient.close();
        }
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
    return lease == null ? null : lease.getSpec().getHolderIdentity();
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
