package dev.lunar.operator;

import static dev.lunar.testing.Commands.await;
import static dev.lunar.testing.Commands.run;
import static dev.lunar.testing.Commands.runQuietly;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import dev.lunar.testing.Commands;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator and an agent process on the real API server, driven the way users drive them: the
 * manifests of {@code deploy/examples/} become Ready, a libiscsi initiator logs in with the
 * example's CHAP Secrets, the target's status lists the session, a deleted LUN leaves the agent
 * before its object goes, problems show as conditions, and an operator restart duplicates and loses
 * nothing.
 */
@TestMethodOrder(OrderAnnotation.class)
class OperatorIT {

  static final String NODE = "worker-1";
  static final String SYSTEM = "lunar-system";
  private static final Duration READY_WITHIN = Duration.ofSeconds(90);
  private static final int HEARTBEAT_SECONDS = 8;

  @TempDir static Path dir;
  private static RealApiServer apiServer;
  private static KubernetesClient client;
  private static AgentProcess agent;
  private static LunarOperator operator;
  private static String loopDevice;
  private static String signedDevice;

  @BeforeAll
  static void start() throws Exception {
    apiServer = RealApiServer.start();
    apiServer.applyCommittedCrds();
    client = apiServer.client();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(SYSTEM).endMetadata().build())
        .create();
    loopDevice =
        run(
                "losetup",
                "-f",
                "--show",
                Commands.sparse(dir.resolve("disk.img"), 64L << 20).toString())
            .trim();
    // A loop device holding an ext4 filesystem, attached before the agent starts, so it is in the
    // inventory the agent publishes first (it rescans every minute and at every spec it applies).
    Path signed = Commands.sparse(dir.resolve("signed.img"), 32L << 20);
    run("mkfs.ext4", "-q", "-F", signed.toString());
    signedDevice = run("losetup", "-f", "--show", signed.toString()).trim();
    // A short heartbeat, so an outage shows in seconds (the default is 40 s).
    agent =
        new AgentProcess(dir, NODE, SYSTEM, apiServer.kubeConfigYaml())
            .withEnv("LUNAR_HEARTBEAT_SECONDS", String.valueOf(HEARTBEAT_SECONDS))
            .start();
    operator = startOperator();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (agent != null) {
      agent.close();
    }
    for (String device : new String[] {loopDevice, signedDevice}) {
      if (device != null) {
        runQuietly("losetup", "-d", device);
      }
    }
    if (apiServer != null) {
      apiServer.close();
    }
  }

  static LunarOperator startOperator() {
    var local = new InetSocketAddress("127.0.0.1", 0);
    return LunarOperator.start(
        client, new OperatorSettings(SYSTEM, false, "lunar-operator", "it", local, local));
  }

  @Test
  @Order(1)
  void examplesBecomeReadyAndServeChapLogins() throws Exception {
    int port = Integer.parseInt(agent.portal().substring(agent.portal().indexOf(':') + 1));
    String manifests = Examples.fitted(NODE, loopDevice, dir.resolve("files"), port);
    client
        .load(new ByteArrayInputStream(manifests.getBytes(StandardCharsets.UTF_8)))
        .serverSideApply();

    IscsiTarget demo =
        await("IscsiTarget demo Ready", READY_WITHIN, () -> target("demo"), OperatorIT::ready);
    for (String lun : List.of("demo-disk", "demo-scratch", "demo-volume")) {
      await("IscsiLun " + lun + " Ready", READY_WITHIN, () -> lun(lun), OperatorIT::ready);
    }
    // What users type: kubectl wait returns at once now.
    apiServer.kubectl(
        "wait",
        "--for=condition=Ready",
        "-n",
        Examples.NAMESPACE,
        "iscsitarget/demo",
        "iscsilun/demo-disk",
        "iscsilun/demo-scratch",
        "iscsilun/demo-volume",
        "--timeout=20s");
    assertThat(demo.getStatus().iqn()).isEqualTo(Examples.IQN);
    assertThat(demo.getStatus().lunCount()).isEqualTo(3);
    assertThat(demo.getStatus().portals()).contains(agent.portal());
    assertThat(demo.getStatus().observedGeneration()).isEqualTo(demo.getMetadata().getGeneration());
    assertThat(lun("demo-disk").getStatus().size().toString()).isEqualTo("64Mi");
    assertThat(lun("demo-scratch").getStatus().blockSize()).isEqualTo(4096);

    // A libiscsi initiator with the example's CHAP and mutual CHAP Secrets sees the LUNs.
    String inq = run("iscsi-inq", "-i", Examples.INITIATOR, Examples.url(agent.portal(), 1));
    assertThat(inq).contains("DIRECT_ACCESS");
    assertThat(
            run("iscsi-readcapacity16", "-i", Examples.INITIATOR, Examples.url(agent.portal(), 3)))
        .contains("Total size:" + (10L << 30));
    // A wrong password gets nowhere.
    assertThat(
            Commands.exitCode(
                "iscsi-inq",
                "-i",
                Examples.INITIATOR,
                Examples.url(agent.portal(), 1)
                    .replace(Examples.CHAP_PASSWORD, "wrong-password-1")))
        .isNotZero();

    // While an initiator holds a session, the target's status lists it.
    Process session = holdSession(2);
    try {
      IscsiTarget withSession =
          await(
              "a session in the target's status",
              Duration.ofSeconds(30),
              () -> target("demo"),
              t -> t.getStatus().sessionCount() != null && t.getStatus().sessionCount() >= 1);
      assertThat(withSession.getStatus().sessions().getFirst().initiator())
          .isEqualTo(Examples.INITIATOR);
    } finally {
      session.destroyForcibly().waitFor();
    }

    // The PersistentVolume the example asks for points at the LUN.
    PersistentVolume pv = client.persistentVolumes().withName("lunar-lunar-demo-demo-volume").get();
    assertThat(pv).isNotNull();
    assertThat(pv.getSpec().getIscsi().getTargetPortal()).isEqualTo(agent.portal());
    assertThat(pv.getSpec().getIscsi().getIqn()).isEqualTo(Examples.IQN);
    assertThat(pv.getSpec().getIscsi().getLun()).isEqualTo(3);
    assertThat(pv.getSpec().getCapacity().get("storage").toString()).isEqualTo("10Gi");
    assertThat(pv.getSpec().getIscsi().getSecretRef().getName()).isEqualTo("demo-chap");
    assertThat(lun("demo-volume").getStatus().persistentVolumeName())
        .isEqualTo(pv.getMetadata().getName());

    // Transitions are events; secrets are in neither events nor status.
    String described =
        apiServer.kubectl("describe", "-n", Examples.NAMESPACE, "iscsitarget", "demo");
    assertThat(described).contains("Serving");
    String everything =
        apiServer.kubectl("get", "-n", Examples.NAMESPACE, "iscsi,events", "-o", "yaml")
            + apiServer.kubectl("get", "iscsinodes", "-o", "yaml");
    assertThat(everything).doesNotContain(Examples.CHAP_PASSWORD, Examples.TARGET_PASSWORD);
    // Settled (the session gone): the reconciles the heartbeat timers trigger write nothing.
    String version =
        await(
                "no sessions",
                READY_WITHIN,
                () -> target("demo"),
                t -> t.getStatus().sessionCount() == 0)
            .getMetadata()
            .getResourceVersion();
    Thread.sleep(Duration.ofSeconds(HEARTBEAT_SECONDS + 4));
    assertThat(target("demo").getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  @Order(2)
  void problemsShowAsConditionsWithTheirReasons() throws Exception {
    List<String> problems = List.of("dup", "orphan", "signed", "no-disk");
    try {
      apply(
          lunYaml(
              "dup", "demo", 1, "file: {path: " + dir.resolve("files/dup.img") + ", size: 1Mi}"),
          lunYaml(
              "orphan",
              "no-such-target",
              1,
              "file: {path: " + dir.resolve("files/o.img") + ", size: 1Mi}"),
          lunYaml("signed", "demo", 9, "device: " + signedDevice),
          lunYaml("no-disk", "demo", 10, "device: /dev/lunar-no-such-disk"),
          """
          apiVersion: iscsi.lunar.dev/v1alpha1
          kind: IscsiTarget
          metadata: {name: no-secret, namespace: lunar-demo}
          spec: {node: worker-1, chap: {secretName: missing}}
          """);
      assertReason(() -> lun("dup"), "DuplicateLun");
      assertReason(() -> lun("orphan"), "TargetNotFound");
      assertReason(() -> lun("signed"), "DeviceInUse");
      assertReason(() -> lun("no-disk"), "DeviceNotFound");
      // The operator refused it from the node's inventory: the agent was never asked to open it.
      assertThat(client.resources(IscsiNode.class).withName(NODE).get().getSpec().targets())
          .flatExtracting(NodeTarget::luns)
          .extracting(l -> l.lun())
          .doesNotContain(10);
      assertReason(() -> target("no-secret"), "SecretInvalid");
      // The first claim on LUN 1 keeps it.
      assertThat(ready(lun("demo-disk"))).isTrue();
    } finally {
      for (String name : problems) {
        client.resources(IscsiLun.class).inNamespace(Examples.NAMESPACE).withName(name).delete();
      }
      client
          .resources(IscsiTarget.class)
          .inNamespace(Examples.NAMESPACE)
          .withName("no-secret")
          .delete();
      for (String name : problems) {
        await(name + " gone", READY_WITHIN, () -> lun(name), l -> l == null);
      }
    }
  }

  @Test
  @Order(3)
  void deletingALunWithdrawsItFromTheAgentBeforeTheObjectIsGone() throws Exception {
    String url = Examples.url(agent.portal(), 2);
    assertThat(run("iscsi-inq", "-i", Examples.INITIATOR, url)).contains("DIRECT_ACCESS");
    DeletionWitness witness = new DeletionWitness();
    try (Watch lunWatch =
            client
                .resources(IscsiLun.class)
                .inNamespace(Examples.NAMESPACE)
                .withName("demo-scratch")
                .watch(witness.lunWatcher(url));
        Watch nodeWatch =
            client.resources(IscsiNode.class).withName(NODE).watch(witness.nodeWatcher())) {
      // Delete without waiting: the object stays, terminating, while its finalizer holds it.
      client
          .resources(IscsiLun.class)
          .inNamespace(Examples.NAMESPACE)
          .withName("demo-scratch")
          .delete();
      DeletionWitness.AtDeletion gone = witness.deleted.get(READY_WITHIN.toSeconds(), SECONDS);

      IscsiLun terminating = witness.terminating.get();
      assertThat(terminating).as("seen terminating").isNotNull();
      assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
      assertThat(terminating.getMetadata().getFinalizers()).contains("iscsi.lunar.dev/withdraw");
      // Resource versions are etcd revisions here (one etcd), so they order writes across objects:
      // terminating, then the node's spec without the LUN, then the agent's status applying it,
      // and only then the finalizer's removal.
      long specWritten = witness.specWithout.get();
      long applied = witness.statusApplied.get();
      System.out.printf(
          "deletion order (etcd revisions): terminating %s < spec without LUN 2 %d < agent"
              + " applied %d < object gone %d%n",
          terminating.getMetadata().getResourceVersion(), specWritten, applied, gone.revision());
      assertThat(revision(terminating)).isLessThan(specWritten);
      assertThat(specWritten).isPositive().isLessThan(applied);
      assertThat(applied).isPositive().isLessThan(gone.revision());

      // At the moment the DELETED event arrived, the agent had already withdrawn the LUN.
      IscsiNode node = gone.node();
      assertThat(node.getStatus().observedGeneration())
          .isGreaterThanOrEqualTo(witness.specGeneration.get());
      NodeTarget demo = node.getSpec().targets().getFirst();
      assertThat(demo.luns()).extracting(l -> l.lun()).containsExactly(1, 3);
      assertThat(node.getStatus().targets().getFirst().luns())
          .extracting(l -> l.lun())
          .doesNotContain(2);
      assertThat(gone.inquiryExit()).as("iscsi-inq to LUN 2 at DELETED").isNotZero();
    }
    IscsiTarget target =
        await("lunCount 2", READY_WITHIN, () -> target("demo"), t -> t.getStatus().lunCount() == 2);
    assertThat(ready(target)).isTrue();
  }

  /**
   * Watches one IscsiLun's deletion and its node: what the node's spec and status were, in etcd
   * order, and what an initiator saw at the moment the DELETED event came.
   */
  private static final class DeletionWitness {
    record AtDeletion(long revision, IscsiNode node, int inquiryExit) {}

    final CompletableFuture<AtDeletion> deleted = new CompletableFuture<>();
    final AtomicReference<IscsiLun> terminating = new AtomicReference<>();
    final AtomicLong specWithout = new AtomicLong();
    final AtomicLong specGeneration = new AtomicLong();
    final AtomicLong statusApplied = new AtomicLong();

    Watcher<IscsiLun> lunWatcher(String url) {
      return watcher(
          (action, lun) -> {
            if (action == Watcher.Action.MODIFIED
                && lun.getMetadata().getDeletionTimestamp() != null) {
              terminating.compareAndSet(null, lun);
            } else if (action == Watcher.Action.DELETED) {
              IscsiNode node = client.resources(IscsiNode.class).withName(NODE).get();
              int inq = Commands.exitCode("iscsi-inq", "-i", Examples.INITIATOR, url);
              deleted.complete(new AtDeletion(revision(lun), node, inq));
            }
          });
    }

    Watcher<IscsiNode> nodeWatcher() {
      return watcher(
          (action, node) -> {
            if (node.getSpec() == null || node.getSpec().targets() == null) {
              return;
            }
            boolean specDropped =
                node.getSpec().targets().getFirst().luns().stream().noneMatch(l -> l.lun() == 2);
            if (specDropped && specWithout.get() == 0) {
              specGeneration.set(node.getMetadata().getGeneration());
              specWithout.set(revision(node));
            }
            var status = node.getStatus();
            if (specWithout.get() != 0
                && statusApplied.get() == 0
                && status != null
                && status.observedGeneration() != null
                && status.observedGeneration() >= specGeneration.get()
                && status.targets() != null
                && !status.targets().isEmpty()
                && status.targets().getFirst().luns().stream().noneMatch(l -> l.lun() == 2)) {
              statusApplied.set(revision(node));
            }
          });
    }

    private static <T> Watcher<T> watcher(BiConsumer<Watcher.Action, T> onEvent) {
      return new Watcher<>() {
        @Override
        public void eventReceived(Action action, T resource) {
          onEvent.accept(action, resource);
        }

        @Override
        public void onClose(WatcherException cause) {
          // closed by the test, or the test fails on its own timeout
        }
      };
    }
  }

  static long revision(HasMetadata object) {
    return Long.parseLong(object.getMetadata().getResourceVersion());
  }

  @Test
  @Order(4)
  void anOperatorKilledMidFlightDuplicatesAndLosesNothing() throws Exception {
    IscsiNode before = client.resources(IscsiNode.class).withName(NODE).get();
    int tidBefore = before.getSpec().targets().getFirst().tid();
    // The operator jar as a process takes over, then is killed -9 while it handles new LUNs.
    operator.close();
    try (OperatorProcess process = new OperatorProcess(dir, apiServer.kubeConfigYaml(), SYSTEM)) {
      Thread.sleep(4000);
      apply(
          lunYaml(
              "late-1",
              "demo",
              4,
              "file: {path: " + dir.resolve("files/late-1.img") + ", size: 8Mi}"),
          lunYaml(
              "late-2",
              "demo",
              5,
              "file: {path: " + dir.resolve("files/late-2.img") + ", size: 8Mi}"));
      Thread.sleep(300);
      process.kill9();
    }
    // And more changes while no operator runs.
    apply(
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiTarget
        metadata: {name: second, namespace: lunar-demo}
        spec: {node: worker-1, initiators: {addresses: [127.0.0.0/8]}}
        """);
    operator = startOperator();
    for (String name : List.of("late-1", "late-2")) {
      await(name + " Ready", READY_WITHIN, () -> lun(name), OperatorIT::ready);
    }
    await("second Ready", READY_WITHIN, () -> target("second"), OperatorIT::ready);
    IscsiNode after = client.resources(IscsiNode.class).withName(NODE).get();
    List<NodeTarget> targets = after.getSpec().targets();
    assertThat(targets)
        .extracting(NodeTarget::source)
        .containsExactly("lunar-demo/demo", "lunar-demo/second");
    assertThat(targets.getFirst().tid()).isEqualTo(tidBefore);
    assertThat(targets.getFirst().luns()).extracting(l -> l.lun()).containsExactly(1, 3, 4, 5);
    // Another restart with nothing to do writes nothing.
    operator.close();
    String version = after.getMetadata().getResourceVersion();
    operator = startOperator();
    try {
      Thread.sleep(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertThat(
            client
                .resources(IscsiNode.class)
                .withName(NODE)
                .get()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(version);
  }

  @Test
  @Order(5)
  void anAgentKilledDuringIoShowsTheOutageAndTheRecoveryWhileTheInitiatorCompletes()
      throws Exception {
    // Long enough to be mid-run at the kill even on a fast, quiet machine (about 8 s there).
    Process bench = bench(1, 200_000);
    // Killed once its requests flow ("Sending ..." once the image is open): a kill during its
    // login would fail the open, which libiscsi does not retry, and a login can take a second or
    // two here (the address's CHAP delay after the wrong-password test above).
    await(
        "qemu-img bench sending",
        Duration.ofSeconds(30),
        () -> readQuietly(dir.resolve("bench-1.log")),
        log -> log.contains("Sending"));
    Thread.sleep(500);
    long killed = System.nanoTime();
    agent.kill9();
    IscsiTarget down =
        await(
            "NodeUnavailable",
            Duration.ofSeconds(HEARTBEAT_SECONDS * 4L),
            () -> target("demo"),
            t -> !ready(t) && "NodeUnavailable".equals(readyCondition(t).getReason()));
    Duration toUnavailable = Duration.ofNanos(System.nanoTime() - killed);
    assertThat(readyCondition(down).getMessage()).contains("heartbeat");
    assertThat(ready(lun("demo-disk"))).isFalse();
    long restarted = System.nanoTime();
    agent.start();
    await("demo Ready again", READY_WITHIN, () -> target("demo"), OperatorIT::ready);
    System.out.printf(
        "agent kill -9: NodeUnavailable %.1f s after the kill (heartbeat Lease %d s in this test,"
            + " 40 s by default); Ready again %.1f s after the agent restarted%n",
        toUnavailable.toMillis() / 1000.0,
        HEARTBEAT_SECONDS,
        (System.nanoTime() - restarted) / 1e9);
    assertThat(bench.waitFor(180, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    String benchLog = java.nio.file.Files.readString(dir.resolve("bench-1.log"));
    assertThat(bench.exitValue()).as("qemu-img bench through the outage: %s", benchLog).isZero();
    // It really ran through the outage: it took at least as long as the agent was away.
    System.out.println("qemu-img bench through kill -9 of the agent: " + benchLog.strip());
    var took =
        java.util.regex.Pattern.compile("Run completed in ([0-9.]+) seconds").matcher(benchLog);
    assertThat(took.find()).as(benchLog).isTrue();
    assertThat(Double.parseDouble(took.group(1))).isGreaterThan(HEARTBEAT_SECONDS);
    String events =
        apiServer.kubectl(
            "get",
            "events",
            "-n",
            Examples.NAMESPACE,
            "--field-selector",
            "involvedObject.name=demo,involvedObject.kind=IscsiTarget",
            "-o",
            "custom-columns=REASON:.reason",
            "--no-headers");
    assertThat(events).contains("NodeUnavailable", "Serving");
  }

  @Test
  @Order(6)
  void withTheApiServerFrozenIoGoesOnAndStatusCatchesUpAfterwards() throws Exception {
    ProcessHandle apiServerProcess =
        ProcessHandle.current()
            .descendants()
            .filter(p -> p.info().command().orElse("").endsWith("kube-apiserver"))
            .findFirst()
            .orElseThrow();
    String pid = String.valueOf(apiServerProcess.pid());
    Process session = null;
    long frozen = System.nanoTime();
    double benchSeconds;
    run("kill", "-STOP", pid);
    try {
      // Full I/O through the agent while nothing answers in the API.
      Process bench = bench(3, 2000);
      assertThat(bench.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(bench.exitValue()).isZero();
      benchSeconds = (System.nanoTime() - frozen) / 1e9;
      session = holdSession(3);
      Thread.sleep(2000);
    } finally {
      run("kill", "-CONT", pid);
    }
    long thawed = System.nanoTime();
    try {
      await(
          "the session started during the outage in status",
          READY_WITHIN,
          () -> target("demo"),
          t ->
              ready(t)
                  && t.getStatus().sessionCount() != null
                  && t.getStatus().sessionCount() >= 1);
      System.out.printf(
          "API server frozen %.1f s (qemu-img bench of 2000 writes done in %.1f s meanwhile);"
              + " the session started during the freeze in status %.1f s after the thaw%n",
          (thawed - frozen) / 1e9, benchSeconds, (System.nanoTime() - thawed) / 1e9);
    } finally {
      session.destroyForcibly().waitFor();
    }
    await(
        "no sessions", READY_WITHIN, () -> target("demo"), t -> t.getStatus().sessionCount() == 0);
  }

  /** qemu-img bench through a LUN of the demo target, with the example's CHAP and ACL name. */
  static Process bench(int lun, int count) throws java.io.IOException {
    String opts =
        "driver=iscsi,transport=tcp,portal=%s,target=%s,lun=%d,user=%s,password=%s,initiator-name=%s"
            .formatted(
                agent.portal(),
                Examples.IQN,
                lun,
                Examples.CHAP_USER,
                Examples.CHAP_PASSWORD,
                Examples.INITIATOR);
    return Commands.writeBench(count, "--image-opts", opts)
        .redirectOutput(dir.resolve("bench-" + lun + ".log").toFile())
        .start();
  }

  static Process holdSession(int lun) throws java.io.IOException {
    return new ProcessBuilder(
            "iscsi-perf", "-i", Examples.INITIATOR, Examples.url(agent.portal(), lun))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  static void apply(String... yamls) {
    String all = String.join("\n---\n", yamls);
    client.load(new ByteArrayInputStream(all.getBytes(StandardCharsets.UTF_8))).serverSideApply();
  }

  static String lunYaml(String name, String target, int lun, String backing) {
    return """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiLun
        metadata: {name: %s, namespace: lunar-demo}
        spec: {target: %s, lun: %d, backing: {%s}}
        """
        .formatted(name, target, lun, backing);
  }

  static void assertReason(Supplier<? extends HasMetadata> object, String reason) {
    await(
        "Ready=False with reason " + reason,
        READY_WITHIN,
        object,
        o -> {
          Condition c = readyCondition(o);
          return c != null && "False".equals(c.getStatus()) && reason.equals(c.getReason());
        });
  }

  static IscsiTarget target(String name) {
    return client.resources(IscsiTarget.class).inNamespace(Examples.NAMESPACE).withName(name).get();
  }

  static IscsiLun lun(String name) {
    return client.resources(IscsiLun.class).inNamespace(Examples.NAMESPACE).withName(name).get();
  }

  static boolean ready(HasMetadata object) {
    Condition c = readyCondition(object);
    return c != null && "True".equals(c.getStatus());
  }

  static Condition readyCondition(HasMetadata object) {
    List<Condition> conditions =
        switch (object) {
          case IscsiTarget t when t.getStatus() != null -> t.getStatus().conditions();
          case IscsiLun l when l.getStatus() != null -> l.getStatus().conditions();
          default -> null;
        };
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
  }

  private static String readQuietly(java.nio.file.Path file) {
    try {
      return java.nio.file.Files.readString(file);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
