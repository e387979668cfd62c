package dev.lunar.chart;

import static dev.lunar.chart.LunarResources.LUNS;
import static dev.lunar.chart.LunarResources.NODES;
import static dev.lunar.chart.LunarResources.POOLS;
import static dev.lunar.chart.LunarResources.TARGETS;
import static dev.lunar.testing.Commands.await;
import static dev.lunar.testing.Commands.run;
import static dev.lunar.testing.Commands.runWithin;
import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import dev.lunar.operator.Examples;
import dev.lunar.operator.view.SecretData;
import dev.lunar.testing.Commands;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Tier 4 of DESIGN.md: the chart installed by Helm on a real node (scripts/cluster.sh: kubelet on
 * containerd, the whole control plane) with the images built here, and Lunar serving I/O from its
 * pods to real initiators on the host: libiscsi and qemu-img reach the agent pod's host-network
 * portal at the node's address. The tests run in order, one install through to the uninstall.
 */
@TestMethodOrder(OrderAnnotation.class)
@EnabledIf(
    value = "dev.lunar.chart.NodeCluster#runnable",
    disabledReason = "a node needs root (kubelet, containerd, network links, cgroups)")
class ChartOnNodeIT {

  private static final String SYSTEM = LunarChart.NAMESPACE;
  private static final Duration READY_WITHIN = Duration.ofMinutes(3);

  private static NodeCluster cluster;
  private static KubernetesClient client;
  private static Path work;
  private static Path values;
  private static String loopDevice;
  private static int portalPort;

  @BeforeAll
  static void startTheNode() throws IOException {
    work = Files.createDirectories(Path.of("target/node-it").toAbsolutePath());
    cluster = NodeCluster.start(work);
    client = cluster.client();
    Path disk = Commands.sparse(work.resolve("disk.img"), 1L << 30);
    loopDevice = run("losetup", "--find", "--show", disk.toString()).strip();
    portalPort = Commands.freePort();
    values = work.resolve("values-node.yaml");
    Files.writeString(
        values,
        """
        operator:
          image: {repository: lunar/operator, tag: %1$s, pullPolicy: Never}
        agent:
          image: {repository: lunar/target-agent, tag: %1$s, pullPolicy: Never}
          portalPort: %2$d
          metricsPort: %3$d
          stateHostPath: %4$s
        """
                .formatted(
                    cluster.imageTag(),
                    portalPort,
                    Commands.freePort(),
                    NodeCluster.stateDir().resolve("agent-state"))
            + CsiOnNode.values(work, NodeCluster.stateDir()));
  }

  @AfterAll
  static void stopTheNode() {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (loopDevice != null) {
        Commands.exitCode("losetup", "-d", loopDevice);
      }
    }
  }

  @Test
  @Order(1)
  void helmInstallsTheChartAndItsPodsBecomeReadyThroughTheirProbes() {
    long started = System.nanoTime();
    helmInstall();
    System.out.printf(
        "NODE-IT helm install to Ready (2 operator pods, 1 agent pod): %.1f s%n",
        (System.nanoTime() - started) / 1e9);

    Deployment operator =
        client.apps().deployments().inNamespace(SYSTEM).withName("lunar-operator").get();
    assertThat(operator.getStatus().getReadyReplicas()).isEqualTo(2);
    DaemonSet agent = client.apps().daemonSets().inNamespace(SYSTEM).withName("lunar-agent").get();
    assertThat(agent.getStatus().getNumberReady()).isEqualTo(1);
    for (Pod pod : client.pods().inNamespace(SYSTEM).list().getItems()) {
      assertThat(ready(pod)).as("pod %s Ready", name(pod)).isTrue();
      assertThat(pod.getStatus().getContainerStatuses())
          .allSatisfy(
              c ->
                  assertThat(c.getRestartCount())
                      .as(() -> c.getName() + " restarted; its last end: " + lastEnd(pod, c))
                      .isZero());
    }
    assertThat(operatorPods()).hasSize(2).contains(leader());
  }

  @Test
  @Order(2)
  void theExamplesServeFromTheAgentPodWithChapAndMutualChap() throws Exception {
    apply(
        Examples.fitted(
            cluster.nodeName(),
            loopDevice,
            "/var/lib/lunar/files/",
            portalPort,
            cluster.nodeIp() + "/32"));
    awaitReady(TARGETS, "demo");
    for (String lun : List.of("demo-disk", "demo-scratch", "demo-volume")) {
      awaitReady(LUNS, lun);
    }
    PersistentVolume pv =
        await(
            "the example's PV bound to its claim by the PV controller",
            READY_WITHIN,
            () ->
                client.persistentVolumes().list().getItems().stream()
                    .filter(v -> v.getSpec().getIscsi() != null)
                    .findFirst()
                    .orElse(null),
            v -> v != null && "Bound".equals(v.getStatus().getPhase()));
    assertThat(pv.getSpec().getIscsi().getTargetPortal()).contains(cluster.nodeIp());
    assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("demo-volume");

    String inquiry = run("iscsi-inq", "-i", Examples.INITIATOR, Examples.url(portal(), 1));
    assertThat(inquiry).contains("DIRECT_ACCESS");
    String wrongMutual =
        Examples.url(portal(), 1).replace(Examples.TARGET_PASSWORD, "not-the-target-secret");
    assertThat(Commands.exitCode("iscsi-inq", "-i", Examples.INITIATOR, wrongMutual))
        .as("mutual CHAP with a wrong target secret must fail")
        .isNotZero();

    byte[] data = randomBytes(8 << 20, 1);
    assertThat(writeThenRead(1, data)).isEqualTo(sha256(data));
  }

  @Test
  @Order(3)
  void anAgentPodDeletedDuringIoIsReplacedAndServesFromTheHostStateDir() throws Exception {
    Path log = work.resolve("bench-agent-restart.log");
    Process bench =
        Commands.writeBench(150_000, "--image-opts", imageOpts(1))
            .redirectOutput(log.toFile())
            .start();
    await(
        "qemu-img bench sending",
        Duration.ofSeconds(60),
        () -> read(log),
        l -> l.contains("Sending"));
    Pod old = agentPod();
    long deleted = System.nanoTime();
    client.pods().inNamespace(SYSTEM).withName(name(old)).delete();
    Pod replacement =
        await(
            "a new agent pod Ready",
            READY_WITHIN,
            ChartOnNodeIT::agentPod,
            p -> p != null && !uid(p).equals(uid(old)) && ready(p));
    double readyAfter = (System.nanoTime() - deleted) / 1e9;
    await(
        "iscsi-inq through the new pod",
        READY_WITHIN,
        () -> Commands.exitCode("iscsi-inq", "-i", Examples.INITIATOR, Examples.url(portal(), 1)),
        code -> code == 0);
    double servingAfter = (System.nanoTime() - deleted) / 1e9;
    assertThat(bench.waitFor(5, TimeUnit.MINUTES)).as("qemu-img bench ends").isTrue();
    String benchLog = read(log);
    assertThat(bench.exitValue()).as("qemu-img bench through the restart: %s", benchLog).isZero();
    assertThat(benchLog).contains("Run completed");
    System.out.printf(
        "NODE-IT agent pod %s deleted during qemu-img bench: %s Ready after %.1f s, serving"
            + " iscsi-inq after %.1f s; bench: %s%n",
        name(old), name(replacement), readyAfter, servingAfter, benchLog.strip());
  }

  @Test
  @Order(4)
  void helmUpgradeWithAChangedAgentSettingRollsTheAgentAndKeepsTheData() throws Exception {
    byte[] data = randomBytes(4 << 20, 2);
    String written = writeThenRead(3, data);
    Pod before = agentPod();
    long started = System.nanoTime();
    new Helm(LunarChart.chartDirectory())
        .upgrade()
        .withName(LunarChart.RELEASE)
        .withNamespace(SYSTEM)
        .withValuesFile(values)
        .set("agent.logLevel", "debug")
        .withKubeConfigContents(cluster.kubeconfigYaml())
        .waitReady()
        .withTimeout(300)
        .call();
    Pod after =
        await(
            "the rolled agent pod Ready",
            READY_WITHIN,
            ChartOnNodeIT::agentPod,
            p -> p != null && !uid(p).equals(uid(before)) && ready(p));
    assertThat(after.getSpec().getContainers().getFirst().getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("LUNAR_LOG_LEVEL");
              assertThat(e.getValue()).isEqualTo("debug");
            });
    awaitReady(LUNS, "demo-volume");
    assertThat(readBack(3, data.length)).isEqualTo(written);
    System.out.printf(
        "NODE-IT helm upgrade (agent.logLevel=debug) rolled %s to %s in %.1f s, data intact%n",
        name(before), name(after), (System.nanoTime() - started) / 1e9);
  }

  @Test
  @Order(5)
  void theLeaderOperatorPodDeletedTheOtherTakesOverAndANewLunBecomesReady() throws Exception {
    String leader = leader();
    long deleted = System.nanoTime();
    client.pods().inNamespace(SYSTEM).withName(leader).delete();
    String next =
        await(
            "another operator pod holding the Lease",
            READY_WITHIN,
            ChartOnNodeIT::leader,
            holder -> holder != null && !holder.equals(leader));
    double tookOver = (System.nanoTime() - deleted) / 1e9;
    apply(
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiLun
        metadata: {name: after-failover, namespace: %s}
        spec:
          target: demo
          lun: 4
          backing:
            file: {path: /var/lib/lunar/files/after-failover.img, size: 64Mi, thin: true}
        """
            .formatted(Examples.NAMESPACE));
    awaitReady(LUNS, "after-failover");
    assertThat(run("iscsi-inq", "-i", Examples.INITIATOR, Examples.url(portal(), 4)))
        .contains("DIRECT_ACCESS");
    System.out.printf(
        "NODE-IT leader %s deleted: %s leads after %.1f s; a new LUN Ready %.1f s after the"
            + " delete%n",
        leader, next, tookOver, (System.nanoTime() - deleted) / 1e9);
  }

  /**
   * Issue #16 on a real node: the chart's sidecars provision a claim from a pool; a pod using it
   * makes the attach-detach controller attach the volume, external-attacher publishes it, and the
   * target then admits exactly the initiator the node registered with kubelet. Staging (the
   * kernel's login and mount) needs an iSCSI initiator in the kernel, which this machine lacks, so
   * the pod's mount fails, and says why.
   */
  @Test
  @Order(6)
  void aClaimIsProvisionedFromAPoolAndAttachedToTheNodeThatRegisteredTheDriver() throws Exception {
    try {
      Assumptions.assumeTrue(
          CsiOnNode.sidecarsBuilt(),
          "the CSI sidecars are not built: LUNAR_TEST_TOOLS=1 source scripts/setup.sh builds them");
      long started = System.nanoTime();
      apply(
          """
          apiVersion: iscsi.lunar.dev/v1alpha1
          kind: IscsiPool
          metadata: {name: claims}
          spec: {node: %s, directory: {path: /var/lib/lunar/pools/claims, capacity: 256Mi}}
          ---
          apiVersion: v1
          kind: PersistentVolumeClaim
          metadata: {name: data, namespace: default}
          spec:
            storageClassName: lunar
            accessModes: [ReadWriteOnce]
            resources: {requests: {storage: 64Mi}}
          """
              .formatted(cluster.nodeName()));
      var claim =
          await(
              "the claim Bound",
              READY_WITHIN,
              () -> client.persistentVolumeClaims().inNamespace("default").withName("data").get(),
              c -> "Bound".equals(c.getStatus().getPhase()));
      double bound = (System.nanoTime() - started) / 1e9;
      String volume = claim.getSpec().getVolumeName();
      PersistentVolume pv = client.persistentVolumes().withName(volume).get();
      assertThat(pv.getSpec().getCsi().getDriver()).isEqualTo("iscsi.lunar.dev");
      assertThat(pv.getSpec().getCsi().getNodeStageSecretRef().getName())
          .isEqualTo(volume + "-chap");
      var attributes = pv.getSpec().getCsi().getVolumeAttributes();
      String url =
          "iscsi://%s%%%s@%s/%s/%s"
              .formatted(
                  volume,
                  secretValue(volume + "-chap", "password"),
                  attributes.get("portal"),
                  attributes.get("iqn"),
                  attributes.get("lun"));
      assertThat(
              client
                  .storage()
                  .v1()
                  .csiNodes()
                  .withName(cluster.nodeName())
                  .get()
                  .getSpec()
                  .getDrivers())
          .as("the node plugin registered with kubelet, its node id the node's initiator name")
          .anyMatch(
              d ->
                  "iscsi.lunar.dev".equals(d.getName())
                      && CsiOnNode.NODE_INITIATOR.equals(d.getNodeID()));
      assertThat(Commands.exitCode("iscsi-inq", "-i", CsiOnNode.NODE_INITIATOR, url))
          .as("an unpublished volume admits nobody")
          .isNotZero();

      long attachStarted = System.nanoTime();
      apply(
          """
          apiVersion: v1
          kind: Pod
          metadata: {name: uses-data, namespace: default}
          spec:
            terminationGracePeriodSeconds: 0
            containers:
              # kubelet mounts only the volumes a container uses.
              - name: pause
                image: "lunar/pause:1"
                imagePullPolicy: Never
                volumeMounts: [{name: data, mountPath: /data}]
            volumes:
              - name: data
                persistentVolumeClaim: {claimName: data}
          """);
      await(
          "the VolumeAttachment attached by external-attacher",
          READY_WITHIN,
          () ->
              client.storage().v1().volumeAttachments().list().getItems().stream()
                  .filter(a -> volume.equals(a.getSpec().getSource().getPersistentVolumeName()))
                  .findFirst()
                  .orElse(null),
          a ->
              a != null
                  && a.getStatus() != null
                  && Boolean.TRUE.equals(a.getStatus().getAttached()));
      double attached = (System.nanoTime() - attachStarted) / 1e9;
      assertThat(run("iscsi-inq", "-i", CsiOnNode.NODE_INITIATOR, url)).contains("DIRECT_ACCESS");
      assertThat(Commands.exitCode("iscsi-inq", "-i", "iqn.2026-12.dev.lunar.test:elsewhere", url))
          .as("another initiator name is refused")
          .isNotZero();
      assertCsiContainersAnswerTheirLivenessProbes();
      String mountFailure =
          await(
              "kubelet's report of the failed stage",
              READY_WITHIN,
              () ->
                  client.v1().events().inNamespace("default").list().getItems().stream()
                      .filter(e -> "uses-data".equals(e.getInvolvedObject().getName()))
                      .filter(e -> "FailedMount".equals(e.getReason()))
                      .map(e -> e.getMessage())
                      .findFirst()
                      .orElse(null),
              m -> m != null);
      System.out.printf("NODE-IT CSI stage on this kernel: %s%n", mountFailure);
      assertThat(mountFailure).contains("iscsiadm");

      long deleteStarted = System.nanoTime();
      client.pods().inNamespace("default").withName("uses-data").withGracePeriod(0).delete();
      client.persistentVolumeClaims().inNamespace("default").withName("data").delete();
      await(
          "the volume, its IscsiLun and its CHAP Secret deleted",
          READY_WITHIN,
          () ->
              client.persistentVolumes().withName(volume).get() == null
                  && client
                          .genericKubernetesResources(LUNS)
                          .inNamespace(SYSTEM)
                          .withName(volume)
                          .get()
                      == null
                  && client.secrets().inNamespace(SYSTEM).withName(volume + "-chap").get() == null,
          gone -> gone);
      await(
          "the pool's space given back",
          READY_WITHIN,
          () -> client.genericKubernetesResources(POOLS).withName("claims").get(),
          p -> Long.valueOf(0).equals(allocated(p)));
      System.out.printf(
          "NODE-IT CSI claim Bound %.1f s after it was made; attached %.1f s after the pod; volume"
              + " deleted and its space freed %.1f s after the claim%n",
          bound, attached, (System.nanoTime() - deleteStarted) / 1e9);
    } finally {
      // Whatever failed above, the uninstall test must not find this claim's volume.
      client.pods().inNamespace("default").withName("uses-data").withGracePeriod(0).delete();
      client.persistentVolumeClaims().inNamespace("default").withName("data").delete();
      client.genericKubernetesResources(POOLS).withName("claims").delete();
    }
  }

  @Test
  @Order(7)
  void uninstallAfterDeletingTheResourcesLeavesNoFinalizerAndNoObjectBehind() {
    client.genericKubernetesResources(LUNS).inNamespace(Examples.NAMESPACE).delete();
    client.genericKubernetesResources(TARGETS).inNamespace(Examples.NAMESPACE).delete();
    await(
        "every IscsiLun and IscsiTarget gone (their finalizers ran)",
        READY_WITHIN,
        () ->
            client.genericKubernetesResources(LUNS).inAnyNamespace().list().getItems().size()
                + client
                    .genericKubernetesResources(TARGETS)
                    .inAnyNamespace()
                    .list()
                    .getItems()
                    .size(),
        left -> left == 0);
    client.namespaces().withName(Examples.NAMESPACE).delete();
    await(
        "namespace " + Examples.NAMESPACE + " gone",
        READY_WITHIN,
        () -> client.namespaces().withName(Examples.NAMESPACE).get(),
        ns -> ns == null);

    Helm.uninstall(LunarChart.RELEASE)
        .withNamespace(SYSTEM)
        .withKubeConfigContents(cluster.kubeconfigYaml())
        .call();
    await(
        "the release's pods gone",
        READY_WITHIN,
        () -> client.pods().inNamespace(SYSTEM).list().getItems(),
        List::isEmpty);
    String instance = "app.kubernetes.io/instance";
    assertThat(client.apps().deployments().inAnyNamespace().withLabel(instance).list().getItems())
        .isEmpty();
    assertThat(client.apps().daemonSets().inAnyNamespace().withLabel(instance).list().getItems())
        .isEmpty();
    assertThat(client.rbac().clusterRoles().withLabel(instance).list().getItems()).isEmpty();
    assertThat(client.rbac().clusterRoleBindings().withLabel(instance).list().getItems()).isEmpty();
    // Everything in the release's namespace, whoever made it, but what Kubernetes puts in every
    // namespace and the node's credential Secret, which belongs to its IscsiNode (below).
    assertThat(client.secrets().inNamespace(SYSTEM).list().getItems())
        .map(ChartOnNodeIT::name)
        .containsExactly("lunar-node-" + cluster.nodeName());
    assertThat(client.configMaps().inNamespace(SYSTEM).list().getItems())
        .map(ChartOnNodeIT::name)
        .containsOnly("kube-root-ca.crt");
    assertThat(client.serviceAccounts().inNamespace(SYSTEM).list().getItems())
        .map(ChartOnNodeIT::name)
        .containsOnly("default");
    assertThat(client.services().inNamespace(SYSTEM).list().getItems()).isEmpty();
    assertThat(client.rbac().roles().inNamespace(SYSTEM).list().getItems()).isEmpty();
    assertThat(client.rbac().roleBindings().inNamespace(SYSTEM).list().getItems()).isEmpty();
    assertThat(client.persistentVolumes().list().getItems())
        .as("PersistentVolumes of Lunar LUNs")
        .noneMatch(v -> v.getSpec().getIscsi() != null);
    // What stays is runtime state, not the release's: the Leases of leader election and of the
    // node's heartbeat (as kube-controller-manager's stay), and the node's IscsiNode record (as a
    // Node stays when its kubelet goes), now with nothing to serve.
    List<String> leases =
        new java.util.ArrayList<>(List.of("lunar-operator", "lunar-agent-" + cluster.nodeName()));
    if (CsiOnNode.sidecarsBuilt()) {
      leases.addAll(List.of("external-attacher-leader-iscsi-lunar-dev", "iscsi-lunar-dev"));
    }
    assertThat(client.leases().inNamespace(SYSTEM).list().getItems())
        .map(ChartOnNodeIT::name)
        .containsExactlyInAnyOrderElementsOf(leases);
    GenericKubernetesResource node =
        client.genericKubernetesResources(NODES).withName(cluster.nodeName()).get();
    assertThat(node.getMetadata().getFinalizers()).isNullOrEmpty();
    assertThat(String.valueOf(node.getAdditionalProperties().get("spec"))).doesNotContain("iqn.");
    // Deleting the record takes the rest with it: the garbage collector removes the credential
    // Secret it owns.
    client.genericKubernetesResources(NODES).withName(cluster.nodeName()).delete();
    await(
        "the credential Secret collected with its IscsiNode",
        READY_WITHIN,
        () -> client.secrets().inNamespace(SYSTEM).list().getItems(),
        List::isEmpty);
  }

  private static String secretValue(String name, String key) {
    return SecretData.decode(client.secrets().inNamespace(SYSTEM).withName(name).get()).get(key);
  }

  private static Long allocated(GenericKubernetesResource pool) {
    Object status = pool.getAdditionalProperties().get("status");
    Object bytes = status instanceof java.util.Map<?, ?> map ? map.get("allocatedBytes") : null;
    return bytes instanceof Number n ? n.longValue() : null;
  }

  /**
   * Every CSI container answers its liveness probe, asked here as kubelet asks it (the probe's own
   * path and port, on the pod's address), and none of them has been restarted by one.
   */
  private static void assertCsiContainersAnswerTheirLivenessProbes() {
    int probed = 0;
    List<String> restarts = new ArrayList<>();
    for (Pod pod : client.pods().inNamespace(SYSTEM).list().getItems()) {
      for (Container container : pod.getSpec().getContainers()) {
        if (!container.getName().startsWith("csi-") || container.getLivenessProbe() == null) {
          continue;
        }
        HTTPGetAction get = container.getLivenessProbe().getHttpGet();
        String url =
            "http://%s:%d%s"
                .formatted(
                    pod.getStatus().getPodIP(),
                    portNumber(container, get.getPort()),
                    get.getPath());
        runWithin(Duration.ofSeconds(10), "curl", "-sS", "-f", "-o", "/dev/null", url);
        probed++;
      }
      for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
        if (status.getName().startsWith("csi-") && status.getRestartCount() > 0) {
          restarts.add(
              "%s restarted %d times; its last end: %s"
                  .formatted(status.getName(), status.getRestartCount(), lastEnd(pod, status)));
        }
      }
    }
    // All of them at once: one container's end often explains another's (a sidecar exits when the
    // driver it dials went away).
    assertThat(restarts).as("restarted CSI containers").isEmpty();
    // csi-node, and csi-controller, csi-provisioner and csi-attacher in each operator pod.
    assertThat(probed).as("CSI containers whose liveness probe answered").isGreaterThanOrEqualTo(4);
    System.out.printf("NODE-IT CSI liveness: %d probes answered, no restarts%n", probed);
  }

  /** Why and when {@code status}'s container last stopped, and the tail of that run's log. */
  private static String lastEnd(Pod pod, ContainerStatus status) {
    String name = pod.getMetadata().getName();
    ContainerStateTerminated end =
        status.getLastState() == null ? null : status.getLastState().getTerminated();
    if (end == null) {
      return "none recorded in " + name;
    }
    String log;
    try {
      log =
          client
              .pods()
              .inNamespace(SYSTEM)
              .withName(name)
              .inContainer(status.getName())
              .terminated()
              .tailingLines(40)
              .getLog();
    } catch (RuntimeException e) {
      log = "(unreadable: " + e.getMessage() + ")";
    }
    return "in %s, exit %d (%s), ran %s to %s, message:%n%s%nthe log's tail:%n%s"
        .formatted(
            name,
            end.getExitCode(),
            end.getReason(),
            end.getStartedAt(),
            end.getFinishedAt(),
            end.getMessage(),
            log);
  }

  private static int portNumber(Container container, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return container.getPorts().stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no port " + port.getStrVal() + " in " + container.getName()))
        .getContainerPort();
  }

  private static void helmInstall() {
    new Helm(LunarChart.chartDirectory())
        .install()
        .withName(LunarChart.RELEASE)
        .withNamespace(SYSTEM)
        .createNamespace()
        .withValuesFile(values)
        .withKubeConfigContents(cluster.kubeconfigYaml())
        .waitReady()
        .withTimeout(300)
        .call();
  }

  private static void apply(String yaml) {
    for (HasMetadata object :
        client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
      client.resource(object).forceConflicts().serverSideApply();
    }
  }

  /** Writes {@code data} at the start of the LUN with qemu-img, and returns its read-back sum. */
  private static String writeThenRead(int lun, byte[] data) throws IOException {
    Path in = work.resolve("data-" + lun + ".bin");
    Files.write(in, data);
    runWithin(
        Duration.ofMinutes(2),
        "qemu-img",
        "convert",
        "-n",
        "-f",
        "raw",
        "--target-image-opts",
        in.toString(),
        imageOpts(lun));
    return readBack(lun, data.length);
  }

  private static String readBack(int lun, int length) throws IOException {
    Path out = work.resolve("read-" + lun + ".bin");
    Files.deleteIfExists(out);
    runWithin(
        Duration.ofMinutes(2),
        "qemu-img",
        "dd",
        "--image-opts",
        "-O",
        "raw",
        "bs=1M",
        "count=" + (length >> 20),
        "if=" + imageOpts(lun),
        "of=" + out);
    return sha256(Files.readAllBytes(out));
  }

  private static String imageOpts(int lun) {
    return "driver=iscsi,transport=tcp,portal=%s,target=%s,lun=%d,user=%s,password=%s,initiator-name=%s"
        .formatted(
            portal(),
            Examples.IQN,
            lun,
            Examples.CHAP_USER,
            Examples.CHAP_PASSWORD,
            Examples.INITIATOR);
  }

  private static String portal() {
    return cluster.nodeIp() + ":" + portalPort;
  }

  private static List<String> operatorPods() {
    return client
        .pods()
        .inNamespace(SYSTEM)
        .withLabel("app.kubernetes.io/component", "operator")
        .list()
        .getItems()
        .stream()
        .map(ChartOnNodeIT::name)
        .toList();
  }

  /** The holder of the operator's leader-election Lease. */
  private static String leader() {
    var lease = client.leases().inNamespace(SYSTEM).withName("lunar-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static Pod agentPod() {
    return client
        .pods()
        .inNamespace(SYSTEM)
        .withLabel("app.kubernetes.io/component", "agent")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .findFirst()
        .orElse(null);
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static void awaitReady(ResourceDefinitionContext kind, String name) {
    await(
        kind.getKind() + " " + name + " Ready",
        READY_WITHIN,
        () ->
            client
                .genericKubernetesResources(kind)
                .inNamespace(Examples.NAMESPACE)
                .withName(name)
                .get(),
        LunarResources::ready);
  }

  private static String name(HasMetadata object) {
    return object.getMetadata().getName();
  }

  private static String uid(HasMetadata object) {
    return object.getMetadata().getUid();
  }

  private static byte[] randomBytes(int length, long seed) {
    byte[] data = new byte[length];
    new Random(seed).nextBytes(data);
    return data;
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
