package dev.lunar.operator.csi;

import static dev.lunar.testing.Commands.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.csi.CsiEndpoint;
import dev.lunar.csi.IdentityService;
import dev.lunar.csi.Readiness;
import dev.lunar.csi.node.NodeEnvironment;
import dev.lunar.csi.node.NodeService;
import dev.lunar.csi.node.ProcessCommandRunner;
import dev.lunar.operator.AgentProcess;
import dev.lunar.operator.LunarOperator;
import dev.lunar.operator.OperatorSettings;
import dev.lunar.operator.RealApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.storage.CSINodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes CSI conformance suite, csi-sanity v5, against the controller: the real API server,
 * the operator, an agent process serving a directory pool, and the controller on its Unix socket.
 * Every volume csi-sanity creates is a real IscsiLun the agent serves from a real file. The node
 * endpoint, which csi-sanity asks for the node's id and calls to clean up, is the node service.
 */
class ControllerConformanceIT {

  static final String NODE = "worker-1";
  static final String SYSTEM = "lunar-system";
  static final String NODE_IQN = "iqn.2026-12.dev.lunar.test:worker-1";

  private static final Pattern SUMMARY =
      Pattern.compile(
          "Ran (\\d+) of (\\d+) Specs.*?(\\d+) Passed \\| (\\d+) Failed", Pattern.DOTALL);

  @TempDir static Path dir;
  private static RealApiServer apiServer;
  private static KubernetesClient client;
  private static AgentProcess agent;
  private static LunarOperator operator;

  @BeforeAll
  static void start() throws Exception {
    apiServer = RealApiServer.start();
    apiServer.applyCommittedCrds();
    client = apiServer.client();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(SYSTEM).endMetadata().build())
        .create();
    agent = new AgentProcess(dir, NODE, SYSTEM, apiServer.kubeConfigYaml()).start();
    var local = new InetSocketAddress("127.0.0.1", 0);
    operator =
        LunarOperator.start(
            client, new OperatorSettings(SYSTEM, false, "lunar-operator", "it", local, local));
    client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: iscsi.lunar.dev/v1alpha1
                kind: IscsiPool
                metadata: {name: sanity}
                spec: {node: %s, directory: {path: %s}}
                """
                    .formatted(NODE, dir.resolve("pool")),
                IscsiPool.class))
        .create();
    // What kubelet writes when the node plugin registers: the driver's node id on this node.
    client
        .storage()
        .v1()
        .csiNodes()
        .resource(
            new CSINodeBuilder()
                .withNewMetadata()
                .withName(NODE)
                .endMetadata()
                .withNewSpec()
                .addNewDriver()
                .withName(IdentityService.DRIVER_NAME)
                .withNodeID(NODE_IQN)
                .endDriver()
                .endSpec()
                .build())
        .create();
    await(
        "IscsiPool sanity Ready",
        Duration.ofSeconds(90),
        () -> client.resources(IscsiPool.class).withName("sanity").get(),
        p -> PoolChoice.ready(p));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (agent != null) {
      agent.close();
    }
    if (apiServer != null) {
      apiServer.close();
    }
  }

  @Test
  void csiSanityPassesEveryControllerSpec() throws Exception {
    Path sanity = RealApiServer.csiTools().resolve("csi-sanity");
    assertThat(sanity)
        .as("csi-sanity: `source scripts/setup.sh` with LUNAR_TEST_TOOLS=1 builds it")
        .isExecutable();
    Path log = dir.resolve("csi-sanity.log");
    try (CsiController controller =
            CsiController.start(
                client, SYSTEM, dir.resolve("controller.sock"), "it", Optional.empty());
        CsiEndpoint node =
            CsiEndpoint.serve(
                dir.resolve("node.sock"),
                List.of(
                    new IdentityService("it", List.of(), Readiness.ALWAYS),
                    new NodeService(
                        NODE_IQN,
                        new ProcessCommandRunner(),
                        NodeEnvironment.host(dir.resolve("csi-node")))))) {
      Process sanityRun =
          new ProcessBuilder(
                  sanity.toString(),
                  "--csi.endpoint",
                  "unix://" + node.socket(),
                  "--csi.controllerendpoint",
                  "unix://" + controller.socket(),
                  "--csi.mountdir",
                  dir.resolve("mount").toString(),
                  "--csi.stagingdir",
                  dir.resolve("staging").toString(),
                  // Small volumes: the pool is a directory of sparse files on the test's disk.
                  "--csi.testvolumesize",
                  Long.toString(64L << 20),
                  "--ginkgo.focus",
                  "Controller Service",
                  "--ginkgo.no-color",
                  "-ginkgo.v")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean ended = sanityRun.waitFor(10, TimeUnit.MINUTES);
      if (!ended) {
        sanityRun.destroyForcibly();
      }
      String output = Files.readString(log);
      assertThat(ended).as("csi-sanity ends within 10 minutes:%n%s", output).isTrue();
      Matcher summary = SUMMARY.matcher(output);
      assertThat(summary.find()).as("csi-sanity's summary in:%n%s", output).isTrue();
      System.out.printf(
          "csi-sanity, Controller Service: ran %s of %s specs, %s passed, %s failed%n",
          summary.group(1), summary.group(2), summary.group(3), summary.group(4));
      assertThat(summary.group(4)).as(output).isEqualTo("0");
      assertThat(sanityRun.exitValue()).as(output).isZero();
      assertThat(Integer.parseInt(summary.group(3))).isGreaterThanOrEqualTo(20);
    }
    // Every volume csi-sanity made is gone again, and its file with it.
    await(
        "the volumes csi-sanity made are deleted",
        Duration.ofSeconds(60),
        () -> client.resources(IscsiLun.class).inNamespace(SYSTEM).list().getItems(),
        List::isEmpty);
    await(
        "the pool's files are deleted",
        Duration.ofSeconds(60),
        () -> {
          try (var files = Files.list(dir.resolve("pool"))) {
            return files.filter(f -> f.toString().endsWith(".lunar-volume")).toList();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        },
        List::isEmpty);
  }
}
