package dev.lunar.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.testing.Commands;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale benchmark of the operator (figures printed, not timed): 1000 IscsiLuns on 50 targets on
 * one node, served by a real agent process, to all-Ready; the operator's API requests per object;
 * then 60 s idle in which the operator must not write at all.
 */
class OperatorScaleIT {

  private static final int TARGETS = 50;
  private static final int LUNS_PER_TARGET = 20;
  private static final String NODE = "scale-node";
  private static final String SYSTEM = "lunar-system";
  private static final String NAMESPACE = "scale";

  @TempDir Path dir;

  @Test
  void thousandLunsOnFiftyTargetsReachReadyThenIdleWithoutWrites() throws Exception {
    try (RealApiServer apiServer = RealApiServer.start()) {
      apiServer.applyCommittedCrds();
      KubernetesClient client = apiServer.client();
      for (String ns : List.of(SYSTEM, NAMESPACE)) {
        client
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .create();
      }
      RequestCounter counter = new RequestCounter();
      try (AgentProcess agent =
              new AgentProcess(dir, NODE, SYSTEM, apiServer.kubeConfigYaml()).start();
          KubernetesClient operatorClient = counter.client(apiServer.kubeConfigYaml());
          LunarOperator operator = startOperator(operatorClient)) {
        Commands.await(
            "the agent's IscsiNode",
            Duration.ofSeconds(60),
            () -> client.resources(IscsiNode.class).withName(NODE).get(),
            n -> n != null);
        long requestsBefore = counter.total();
        Instant start = Instant.now();
        createAll(client);
        Duration created = Duration.between(start, Instant.now());
        Commands.await(
            "all 1000 IscsiLuns Ready",
            Duration.ofMinutes(10),
            () -> readyLuns(client),
            n -> n == TARGETS * LUNS_PER_TARGET);
        Duration allReady = Duration.between(start, Instant.now());
        Commands.await(
            "all 50 IscsiTargets Ready with 20 LUNs",
            Duration.ofMinutes(2),
            () ->
                client
                    .resources(IscsiTarget.class)
                    .inNamespace(NAMESPACE)
                    .list()
                    .getItems()
                    .stream()
                    .filter(t -> OperatorIT.ready(t) && t.getStatus().lunCount() == LUNS_PER_TARGET)
                    .count(),
            n -> n == TARGETS);
        long requests = counter.total() - requestsBefore;
        int objects = TARGETS + TARGETS * LUNS_PER_TARGET;
        System.out.printf(
            "operator scale: %d IscsiTargets, %d IscsiLuns on one node: created in %d s, all Ready"
                + " after %d s; operator API requests %d (%.2f per object), by method %s%n",
            TARGETS,
            TARGETS * LUNS_PER_TARGET,
            created.toSeconds(),
            allReady.toSeconds(),
            requests,
            (double) requests / objects,
            counter.snapshot());

        // What the Events say: one per object is the expected story (Serving), more are flaps.
        java.util.Map<String, Long> eventReasons = new java.util.TreeMap<>();
        client
            .v1()
            .events()
            .inNamespace(NAMESPACE)
            .list()
            .getItems()
            .forEach(e -> eventReasons.merge(e.getReason(), 1L, Long::sum));
        System.out.println("operator scale: events by reason " + eventReasons);

        long writesBefore = counter.writes();
        long requestsBeforeIdle = counter.total();
        Thread.sleep(Duration.ofSeconds(60));
        long idleWrites = counter.writes() - writesBefore;
        System.out.printf(
            "operator scale: 60 s idle: %d writes, %d requests in all%n",
            idleWrites, counter.total() - requestsBeforeIdle);
        assertThat(idleWrites)
            .as("operator writes while idle, the last: " + counter.recentWrites())
            .isZero();
        assertThat(agent.log()).doesNotContain("Exception in thread");
      }
    }
  }

  private static LunarOperator startOperator(KubernetesClient client) {
    var local = new InetSocketAddress("127.0.0.1", 0);
    return LunarOperator.start(
        client, new OperatorSettings(SYSTEM, false, "lunar-operator", "scale", local, local));
  }

  private void createAll(KubernetesClient client) {
    StringBuilder yaml = new StringBuilder();
    for (int t = 0; t < TARGETS; t++) {
      yaml.append(
          """
          apiVersion: iscsi.lunar.dev/v1alpha1
          kind: IscsiTarget
          metadata: {name: t%02d, namespace: scale}
          spec: {node: scale-node}
          ---
          """
              .formatted(t));
      for (int l = 1; l <= LUNS_PER_TARGET; l++) {
        yaml.append(
            """
            apiVersion: iscsi.lunar.dev/v1alpha1
            kind: IscsiLun
            metadata: {name: t%02d-l%02d, namespace: scale}
            spec: {target: t%02d, lun: %d, backing: {file: {path: %s, size: 1Mi, thin: true}}}
            ---
            """
                .formatted(t, l, t, l, dir.resolve("t" + t + "-l" + l + ".img")));
      }
    }
    client
        .load(new ByteArrayInputStream(yaml.toString().getBytes(StandardCharsets.UTF_8)))
        .create();
  }

  private static long readyLuns(KubernetesClient client) {
    return client.resources(IscsiLun.class).inNamespace(NAMESPACE).list().getItems().stream()
        .filter(OperatorIT::ready)
        .count();
  }
}
