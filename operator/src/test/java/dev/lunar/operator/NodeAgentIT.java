package dev.lunar.operator;

import static dev.lunar.testing.Commands.runQuietly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.CredentialKeys;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.SecretRef;
import dev.lunar.crds.api.v1alpha1.IscsiNodeStatus.NodePoolStatus;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import dev.lunar.crds.api.v1alpha1.NodeTargetStatus;
import dev.lunar.testing.Commands;
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
      Process through = writeRun(url, 150_000);
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

  /**
   * Restart during an API server outage: the second kube-apiserver (same etcd) is the agent's only
   * API server, stopped for real, while the test watches through the first one.
   */
  @Test
  @SuppressWarnings("try") // the agent is stopped and started again inside its try
  void restartedWhileTheApiServerIsDownItServesFromTheStateDirAndCatchesUpWhenItReturns()
      throws Exception {
    String node = "worker-3";
    Path agentDir = java.nio.file.Files.createDirectories(dir.resolve("outage"));
    Path first = sparse(agentDir.resolve("lun1.img"), 32L << 20);
    Path second = sparse(agentDir.resolve("lun2.img"), 16L << 20);
    try (SecondApiServer api = SecondApiServer.besides(apiServer, agentDir).start();
        AgentProcess agent =
            new AgentProcess(agentDir, node, NAMESPACE, api.kubeConfigYaml())
                // fabric8 alone retries a refused connection for ~100 s (10 doublings from 100
                // ms); one retry makes a client-side give-up show within the outage below.
                .withEnv("KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT", "1")
                .start()) {
      await(agent, node, n -> n.getStatus() != null && n.getStatus().agentVersion() != null);
      IscsiNodeSpec oneLun = plainSpec(node, first);
      client.resources(IscsiNode.class).withName(node).edit(n -> withSpec(n, oneLun));
      await(agent, node, NodeAgentIT::targetReady);
      String lun1 = "iscsi://" + agent.portal() + "/" + IQN + "-" + node + "/1";
      assertThat(run("iscsi-inq", lun1)).contains("DIRECT_ACCESS");

      agent.close();
      api.stop();
      // Changed while the agent is away: only a working informer after the outage can apply it.
      IscsiNodeSpec twoLuns = plainSpec(node, first, second);
      long wanted =
          client
              .resources(IscsiNode.class)
              .withName(node)
              .edit(n -> withSpec(n, twoLuns))
              .getMetadata()
              .getGeneration();

      long started = System.nanoTime();
      agent.start();
      assertThat(runWithin(Duration.ofSeconds(30), "iscsi-readcapacity16", lun1))
          .contains("Total size:" + (32L << 20));
      long servedMillis = millisSince(started);
      Thread.sleep(8000);
      assertThat(agentAlive(node)).as(agent.log()).isTrue();
      assertThat(run("iscsi-inq", lun1)).contains("DIRECT_ACCESS");
      assertThat(agent.log()).contains("API server not reachable (attempt 3)");

      // Stopping it while it retries: SIGTERM is enough, ChildProcesses would SIGKILL after 15 s.
      long stopping = System.nanoTime();
      agent.close();
      long stopMillis = millisSince(stopping);
      assertThat(stopMillis).as(agent.log()).isLessThan(10_000);
      agent.start();
      assertThat(runWithin(Duration.ofSeconds(30), "iscsi-inq", lun1)).contains("DIRECT_ACCESS");
      Thread.sleep(3000);

      java.time.Instant back = java.time.Instant.now();
      long backAt = System.nanoTime();
      api.start();
      long apiReadyMillis = millisSince(backAt);
      IscsiNode caughtUp =
          await(
              agent,
              node,
              n ->
                  n.getStatus() != null
                      && Long.valueOf(wanted).equals(n.getStatus().observedGeneration())
                      && targetReady(n)
                      && n.getStatus().targets().getFirst().luns().size() == 2);
      long caughtUpMillis = millisSince(backAt);
      assertThat(leaseRenewedSince(node, back)).as(agent.log()).isTrue();
      long leaseMillis = millisSince(backAt);
      String lun2 = "iscsi://" + agent.portal() + "/" + IQN + "-" + node + "/2";
      assertThat(run("iscsi-readcapacity16", lun2)).contains("Total size:" + (16L << 20));
      assertThat(caughtUp.getStatus().portals()).containsExactly(agent.portal());
      System.out.printf(
          "API server down: LUN served %d ms after the agent started; agent stopped in %d ms"
              + " while retrying. API server process started again: ready after %d ms, status"
              + " at generation %d after %d ms, Lease renewed by %d ms%n",
          servedMillis, stopMillis, apiReadyMillis, wanted, caughtUpMillis, leaseMillis);
    }
  }

  /**
   * Status writes are coalesced: many short sessions and a write run change the status only on the
   * 2 s ticks that see a different session list, not once per login or command.
   */
  @Test
  @SuppressWarnings("try") // the watch only has to be open while the burst runs
  void aLoginBurstAndAWriteRunCostOnlyAHandfulOfStatusWrites() throws Exception {
    String node = "worker-4";
    Path agentDir = java.nio.file.Files.createDirectories(dir.resolve("burst"));
    Path disk = sparse(agentDir.resolve("lun1.img"), 32L << 20);
    try (AgentProcess agent =
        new AgentProcess(agentDir, node, NAMESPACE, apiServer.kubeConfigYaml()).start()) {
      await(agent, node, n -> n.getStatus() != null && n.getStatus().agentVersion() != null);
      IscsiNodeSpec oneLun = plainSpec(node, disk);
      client.resources(IscsiNode.class).withName(node).edit(n -> withSpec(n, oneLun));
      await(agent, node, NodeAgentIT::targetReady);
      Thread.sleep(2 * 2000 + 500); // let the last tick after the apply pass
      String url = "iscsi://" + agent.portal() + "/" + IQN + "-" + node + "/1";

      java.util.Set<String> versions = java.util.concurrent.ConcurrentHashMap.newKeySet();
      try (io.fabric8.kubernetes.client.Watch watch =
          client
              .resources(IscsiNode.class)
              .withName(node)
              .watch(
                  new io.fabric8.kubernetes.client.Watcher<>() {
                    @Override
                    public void eventReceived(Action action, IscsiNode changed) {
                      if (action == Action.MODIFIED) {
                        versions.add(changed.getMetadata().getResourceVersion());
                      }
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException e) {}
                  })) {
        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
          assertThat(run("iscsi-inq", url)).contains("DIRECT_ACCESS");
        }
        Process bench = writeRun(url, 60_000);
        String benchOutput =
            new String(bench.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bench.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bench.exitValue()).as(benchOutput).isZero();
        long busyMillis = millisSince(started);
        Thread.sleep(2 * 2000 + 1000); // the tick that sees no session any more
        System.out.printf(
            "20 logins and a 60000-write run in %d ms: %d IscsiNode status write(s)%n",
            busyMillis, versions.size());
        // At least the tick that sees the write run's session; at most a few ticks' worth.
        assertThat(versions.size()).isBetween(1, 8);
      }
    }
  }

  /**
   * Pool volumes: the agent makes the pool directory, a thin volume sparse and a thick one with
   * every block allocated, serves both, and reports the pool's space; a spec that drops them
   * deletes their files, and nothing else in the directory.
   */
  @Test
  void poolVolumesAreMadeMeasuredAndDeletedOnceNoLunNamesThem() throws Exception {
    String node = "worker-5";
    Path agentDir = java.nio.file.Files.createDirectories(dir.resolve("pools"));
    Path poolDir = agentDir.resolve("pool"); // made by the agent
    Path thin = poolDir.resolve("5d6f-thin.lunar-volume");
    Path thick = poolDir.resolve("5d6f-thick.lunar-volume");
    List<NodePool> pools = List.of(NodePool.directory("local", poolDir.toString(), null));
    try (AgentProcess agent =
        new AgentProcess(agentDir, node, NAMESPACE, apiServer.kubeConfigYaml()).start()) {
      await(agent, node, n -> n.getStatus() != null && n.getStatus().agentVersion() != null);
      IscsiNodeSpec twoVolumes =
          poolSpec(
              node, pools, volume(1, thin, 64L << 20, null), volume(2, thick, 16L << 20, false));
      client.resources(IscsiNode.class).withName(node).edit(n -> withSpec(n, twoVolumes));
      IscsiNode applied =
          await(
              agent,
              node,
              n ->
                  targetReady(n)
                      && n.getStatus().pools() != null
                      && !n.getStatus().pools().isEmpty());

      assertThat(java.nio.file.Files.size(thin)).isEqualTo(64L << 20);
      assertThat(java.nio.file.Files.size(thick)).isEqualTo(16L << 20);
      assertThat(allocatedBytes(thin)).isLessThan(16L << 20);
      assertThat(allocatedBytes(thick)).isGreaterThanOrEqualTo(16L << 20);
      NodePoolStatus pool = applied.getStatus().pools().getFirst();
      assertThat(pool.name()).isEqualTo("local");
      assertThat(pool.ready()).isTrue();
      assertThat(pool.volumeCount()).isEqualTo(2);
      assertThat(pool.allocatedBytes()).isEqualTo(80L << 20);
      assertThat(pool.capacityBytes()).isGreaterThan(pool.allocatedBytes());
      assertThat(pool.freeBytes())
          .isPositive()
          .isLessThanOrEqualTo(pool.capacityBytes() - pool.allocatedBytes());
      String url = "iscsi://" + agent.portal() + "/" + IQN + "-" + node + "/2";
      assertThat(run("iscsi-readcapacity16", url)).contains("Total size:" + (16L << 20));

      Path notes = java.nio.file.Files.writeString(poolDir.resolve("notes.txt"), "not a volume");
      client
          .resources(IscsiNode.class)
          .withName(node)
          .edit(n -> withSpec(n, poolSpec(node, pools)));
      IscsiNode emptied =
          await(
              agent,
              node,
              n ->
                  n.getStatus() != null
                      && n.getStatus().pools() != null
                      && Integer.valueOf(0).equals(n.getStatus().pools().getFirst().volumeCount()));

      assertThat(thin).doesNotExist();
      assertThat(thick).doesNotExist();
      assertThat(notes).exists();
      assertThat(emptied.getStatus().pools().getFirst().allocatedBytes()).isZero();
    }
  }

  /** A pool volume's LUN as the operator writes it: {@code thin} null is thin. */
  private static NodeLun volume(int lun, Path file, long size, Boolean thin) {
    return new NodeLun(
        lun,
        "default/v" + lun,
        null,
        file.toString(),
        size,
        thin,
        false,
        512,
        null,
        null,
        null,
        "local",
        null);
  }

  /** A target without CHAP holding {@code luns}, on a node with {@code pools}. */
  private static IscsiNodeSpec poolSpec(String node, List<NodePool> pools, NodeLun... luns) {
    NodeTarget target =
        new NodeTarget(
            1,
            IQN + "-" + node,
            "default/t",
            3260,
            List.of(luns),
            List.of(),
            List.of("127.0.0.0/8"),
            null,
            null,
            Map.of());
    return new IscsiNodeSpec(null, List.of(target), pools);
  }

  /** Bytes the filesystem really gave a file (st_blocks times the block unit). */
  private static long allocatedBytes(Path file) throws IOException, InterruptedException {
    String[] blocks = run("stat", "-c", "%b %B", file.toString()).trim().split(" ");
    return Long.parseLong(blocks[0]) * Long.parseLong(blocks[1]);
  }

  /** A target without CHAP holding one file LUN per file, numbered from 1. */
  private static IscsiNodeSpec plainSpec(String node, Path... files) throws IOException {
    List<NodeLun> luns = new java.util.ArrayList<>();
    for (int i = 0; i < files.length; i++) {
      long size = java.nio.file.Files.size(files[i]);
      luns.add(
          new NodeLun(
              i + 1,
              "default/d" + i,
              null,
              files[i].toString(),
              size,
              true,
              false,
              512,
              null,
              null,
              null,
              null,
              null));
    }
    NodeTarget target =
        new NodeTarget(
            1,
            IQN + "-" + node,
            "default/t",
            3260,
            luns,
            List.of(),
            List.of("127.0.0.0/8"),
            null,
            null,
            Map.of());
    return new IscsiNodeSpec(null, List.of(target), null);
  }

  /** Whether the agent process for {@code node} runs, whatever its Java main thread did. */
  private static boolean agentAlive(String node) {
    return ProcessHandle.current()
        .descendants()
        .anyMatch(
            p -> {
              String line = p.info().commandLine().orElse("");
              return line.contains("target-agent.jar") && line.contains("--node-name " + node);
            });
  }

  private static boolean leaseRenewedSince(String node, java.time.Instant since)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      var lease = client.leases().inNamespace(NAMESPACE).withName("lunar-agent-" + node).get();
      if (lease != null
          && lease.getSpec().getRenewTime() != null
          && !lease.getSpec().getRenewTime().toInstant().isBefore(since)) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
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
          .edit(n -> withSpec(n, new IscsiNodeSpec(null, List.of(target), null)));
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
    return new NodeLun(
        lun, "default/d", path, null, null, null, null, null, null, null, null, null, null);
  }

  private static IscsiNode withSpec(IscsiNode node, IscsiNodeSpec spec) {
    node.setSpec(spec);
    return node;
  }

  private static IscsiNodeSpec spec(String file) {
    NodeLun lun =
        new NodeLun(
            1,
            "default/disk",
            null,
            file,
            64L << 20,
            true,
            false,
            512,
            null,
            null,
            null,
            null,
            null);
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
    return new IscsiNodeSpec(new SecretRef(NAMESPACE, "lunar-node-" + NODE), List.of(target), null);
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

  /** qemu-img bench writing {@code count} 4 KiB blocks to a raw image, 4 in flight. */
  private static Process writeRun(String url, int count) throws IOException {
    return Commands.writeBench(count, "-f", "raw", url).start();
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
