package dev.lunar.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.CredentialKeys;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.SecretRef;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import dev.lunar.crds.api.v1alpha1.NodeTargetStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent as a process against the real API server: it registers its IscsiNode, serves what
 * the spec asks (CHAP from the per-node Secret), reports inventory, targets and sessions, refuses
 * an unsafe device, and comes back from kill -9 with its exports.
 */
class NodeAgentIT {

  private static final String NODE = "worker-1";
  private static final String NAMESPACE = "lunar-system";
  private static final String IQN = "iqn.2026-11.dev.lunar.it:node";

  @TempDir static Path dir;
  private static RealApiServer apiServer;
  private static KubernetesClient client;

  @BeforeAll
  static void startApiServer() {
    apiServer = RealApiServer.start();
    apiServer.applyCommittedCrds();
    client = apiServer.client();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("lunar-node-" + NODE)
                .endMetadata()
                .withStringData(Map.of("t1.user", "alice", "t1.password", "alice-secret-9"))
                .build())
        .create();
  }

  @AfterAll
  static void stopApiServer() {
    if (apiServer != null) {
      apiServer.close();
    }
  }

  @Test
  void agentServesItsSpecReportsItAndSurvivesKill9() throws Exception {
    Path disk = sparse(dir.resolve("disk.img"), 64L << 20);
    try (AgentProcess agent =
        new AgentProcess(dir, NODE, NAMESPACE, apiServer.kubeConfigYaml()).start()) {
      IscsiNode registered =
          await(agent, n -> n.getStatus() != null && n.getStatus().agentVersion() != null);
      assertThat(registered.getStatus().portals()).containsExactly(agent.portal());

      client
          .resources(IscsiNode.class)
          .withName(NODE)
          .edit(n -> withSpec(n, spec(disk.toString())));
      IscsiNode applied = await(agent, NodeAgentIT::targetReady);
      String url = "iscsi://alice%alice-secret-9@" + agent.portal() + "/" + IQN + "/1";

      assertThat(run("iscsi-inq", url)).contains("DIRECT_ACCESS");
      assertThat(applied.getStatus().observedGeneration())
          .isEqualTo(applied.getMetadata().getGeneration());
      assertThat(applied.getStatus().targets().getFirst().luns().getFirst().sizeBytes())
          .isEqualTo(64L << 20);

      Process bench = holdSession(url);
      try {
        IscsiNode withSession = await(agent, n -> !sessions(n).isEmpty());
        assertThat(sessions(withSession).getFirst().initiator()).contains("iqn.");
      } finally {
        bench.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }

      // kill -9 in the middle of I/O: the agent restores its exports from the state dir before it
      // even reaches the API server, libiscsi reconnects, and the run completes.
      Process through =
          new ProcessBuilder(
                  "qemu-img",
                  "bench",
                  "-w",
                  "-f",
                  "raw",
                  "-c",
                  "150000",
                  "-d",
                  "4",
                  "-s",
                  "4096",
                  url)
              .redirectErrorStream(true)
              .start();
      Thread.sleep(1500);
      agent.kill9();
      agent.start();
      String benchOutput =
          new String(through.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(through.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(through.exitValue()).as(benchOutput).isZero();
      assertThat(benchOutput).contains("Run completed");
      assertThat(runWithin(Duration.ofSeconds(30), "iscsi-inq", url)).contains("DIRECT_ACCESS");
    }
  }

  @Test
  void loopDevicesAreInventoriedAndAMountedOneIsRefusedWithDeviceInUse() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "needs root for losetup and mount");
    Path loopDir = java.nio.file.Files.createDirectories(dir.resolve("loops"));
    String free =
        run("losetup", "-f", "--show", sparse(loopDir.resolve("a.img"), 32L << 20).toString())
            .trim();
    String busy =
        run("losetup", "-f", "--show", sparse(loopDir.resolve("b.img"), 32L << 20).toString())
            .trim();
    Path mountPoint = java.nio.file.Files.createDirectories(loopDir.resolve("mnt"));
    Path agentDir = java.nio.file.Files.createDirectories(dir.resolve("loop-agent"));
    try (AgentProcess agent =
        new AgentProcess(agentDir, "worker-2", NAMESPACE, apiServer.kubeConfigYaml()).start()) {
      run("mkfs.ext4", "-q", "-F", busy);
      run("mount", busy, mountPoint.toString());
      String freeName = Path.of(free).getFileName().toString();
      IscsiNode inventoried =
          await(
              agent,
              "worker-2",
              n ->
                  n.getStatus() != null
                      && n.getStatus().disks() != null
                      && n.getStatus().disks().stream().anyMatch(d -> d.name().equals(freeName)));
      assertThat(
              inventoried.getStatus().disks().stream()
                  .filter(d -> d.name().equals(freeName))
                  .findFirst()
                  .orElseThrow()
                  .safe())
          .isTrue();

      NodeTarget target =
          new NodeTarget(
              1,
              IQN + "-loops",
              "default/t",
              3260,
              List.of(device(1, free), device(2, busy)),
              List.of(),
              List.of("127.0.0.0/8"),
              null,
              null,
              Map.of());
      client
          .resources(IscsiNode.class)
          .withName("worker-2")
          .edit(n -> withSpec(n, new IscsiNodeSpec(null, List.of(target))));
      IscsiNode applied =
          await(
              agent,
              "worker-2",
              n ->
                  n.getStatus() != null
                      && n.getStatus().targets() != null
                      && !n.getStatus().targets().isEmpty()
                      && n.getStatus().targets().getFirst().luns().size() == 2
                      && n.getStatus().targets().getFirst().luns().getFirst().ready() != null
                      && n.getStatus().targets().getFirst().luns().getFirst().ready());

      var luns = applied.getStatus().targets().getFirst().luns();
      assertThat(luns.get(1).ready()).isFalse();
      assertThat(luns.get(1).message()).startsWith("DeviceInUse");
      String url = "iscsi://" + agent.portal() + "/" + IQN + "-loops/1";
      assertThat(run("iscsi-readcapacity16", url)).contains("Total size:" + (32L << 20));
    } finally {
      runQuietly("umount", mountPoint.toString());
      runQuietly("losetup", "-d", free);
      runQuietly("losetup", "-d", busy);
    }
  }

  private static NodeLun device(int lun, String path) {
    return new NodeLun(lun, "default/d", path, null, null, null, null, null, null, null, null);
  }

  private static void runQuietly(String... command) {
    try {
      new ProcessBuilder(command).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException ignored) {
      // best-effort clean-up
    }
  }

  private static IscsiNode withSpec(IscsiNode node, IscsiNodeSpec spec) {
    node.setSpec(spec);
    return node;
  }

  private static IscsiNodeSpec spec(String file) {
    NodeLun lun =
        new NodeLun(1, "default/disk", null, file, 64L << 20, true, false, 512, null, null, null);
    NodeTarget target =
        new NodeTarget(
            1,
            IQN,
            "default/t",
            3260,
            List.of(lun),
            List.of(),
            List.of("127.0.0.0/8"),
            new CredentialKeys("t1.user", "t1.password"),
            null,
            Map.of());
    return new IscsiNodeSpec(new SecretRef(NAMESPACE, "lunar-node-" + NODE), List.of(target));
  }

  private static boolean targetReady(IscsiNode node) {
    return node.getStatus() != null
        && node.getStatus().targets() != null
        && !node.getStatus().targets().isEmpty()
        && Boolean.TRUE.equals(node.getStatus().targets().getFirst().ready());
  }

  private static List<dev.lunar.crds.api.v1alpha1.SessionStatus> sessions(IscsiNode node) {
    if (node.getStatus() == null || node.getStatus().targets() == null) {
      return List.of();
    }
    NodeTargetStatus target = node.getStatus().targets().getFirst();
    return target.sessions() == null ? List.of() : target.sessions();
  }

  private static IscsiNode await(AgentProcess agent, Predicate<IscsiNode> condition)
      throws InterruptedException {
    return await(agent, NODE, condition);
  }

  private static IscsiNode await(AgentProcess agent, String name, Predicate<IscsiNode> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    IscsiNode node = null;
    while (System.nanoTime() < deadline) {
      node = client.resources(IscsiNode.class).withName(name).get();
      if (node != null && condition.test(node)) {
        return node;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("condition not reached; last IscsiNode: " + node + "\n" + agent.log());
  }

  private static Process holdSession(String url) throws IOException {
    return new ProcessBuilder("qemu-img", "bench", "-f", "raw", "-c", "10000000", "-d", "1", url)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static String run(String... command) throws IOException, InterruptedException {
    return runWithin(Duration.ofSeconds(30), command);
  }

  /** Runs a command until it succeeds or the time is up; returns its output. */
  private static String runWithin(Duration limit, String... command)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    String out = "";
    while (System.nanoTime() < deadline) {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return out;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(String.join(" ", command) + " kept failing:\n" + out);
  }

  private static Path sparse(Path file, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
    return file;
  }
}
