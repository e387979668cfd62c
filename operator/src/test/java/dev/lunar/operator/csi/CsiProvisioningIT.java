package dev.lunar.operator.csi;

import static dev.lunar.testing.Commands.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.csi.IdentityService;
import dev.lunar.operator.AgentProcess;
import dev.lunar.operator.LunarOperator;
import dev.lunar.operator.OperatorSettings;
import dev.lunar.operator.RealApiServer;
import dev.lunar.testing.Commands;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSI controller with the real external-provisioner and external-attacher (built from their Go
 * modules by scripts/setup.sh) and kube-controller-manager's volume controllers, against the real
 * API server, the operator and an agent process: a claim with the example StorageClass ({@code
 * deploy/examples/csi}) is bound to a LUN that libiscsi logs into with the volume's CHAP Secret
 * only as the initiator name of the node the volume is attached to; deleting the claim removes the
 * LUN and frees the pool; a claim larger than the pool stays Pending with an event that says why.
 * The node's side (kubelet's attach-detach controller, the node plugin) is played by the test: it
 * writes the VolumeAttachment the attach-detach controller would and logs in as the node would.
 */
@TestMethodOrder(OrderAnnotation.class)
@EnabledIf(
    value = "dev.lunar.operator.csi.CsiSidecars#built",
    disabledReason =
        "csi-provisioner and csi-attacher are not built in ~/.kubeapitest/csi-tools (or"
            + " $KUBE_API_TEST_DIR/csi-tools): scripts/setup.sh builds them when LUNAR_TEST_TOOLS=1,"
            + " which ./lunar test sets, or run operator/src/test/go/csi-tools/build.sh DIR"
            + " csi-provisioner csi-attacher")
class CsiProvisioningIT {

  private static final String NODE = "worker-1";
  private static final String SYSTEM = "lunar-system";
  private static final String CLAIMS = "lunar-demo";
  private static final String DRIVER = IdentityService.DRIVER_NAME;

  /** What the node plugin's NodeGetInfo answers: the node's initiator name. */
  private static final String NODE_IQN = "iqn.2026-12.dev.lunar.test:worker-1";

  private static final String OTHER_IQN = "iqn.2026-12.dev.lunar.test:intruder";

  /** libiscsi's words for the login status classes 0x0202 (the ACL) and 0x0201 (CHAP). */
  private static final String NOT_ADMITTED = "Authorization failure";

  private static final String WRONG_SECRET = "Authentication failure";
  private static final Path EXAMPLES = Path.of("../deploy/examples/csi");
  private static final long POOL_CAPACITY = 2L << 30;
  private static final Duration WITHIN = Duration.ofSeconds(120);
  private static final Path KEPT_LOGS = Path.of("target/csi-provisioning-it");

  @TempDir static Path dir;
  private static RealApiServer apiServer;
  private static KubernetesClient client;
  private static AgentProcess agent;
  private static LunarOperator operator;
  private static CsiController controller;
  private static CsiSidecars sidecars;
  private static final LogCapture logs = new LogCapture();
  private static Path poolDirectory;
  private static String poolName;

  /** The CHAP passwords the controller generated, to look for in every log at the end. */
  private static final List<String> passwords = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    logs.attach();
    apiServer = RealApiServer.start();
    apiServer.applyCommittedCrds();
    client = apiServer.client();
    for (String namespace : List.of(SYSTEM, CLAIMS)) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }

    // What kubelet and the chart would write: the node, with the driver registered on it under the
    // node's initiator name, and the CSIDriver.
    KubeletStandIn.register(client, NODE, NODE_IQN);

    Path agentDir = Files.createDirectories(dir.resolve("agent"));
    agent = new AgentProcess(agentDir, NODE, SYSTEM, apiServer.kubeConfigYaml()).start();
    var local = new InetSocketAddress("127.0.0.1", 0);
    operator =
        LunarOperator.start(
            client, new OperatorSettings(SYSTEM, false, "lunar-operator", "it", local, local));
    Path socket = dir.resolve("csi/csi.sock");
    controller = CsiController.start(client, SYSTEM, socket, "it", Optional.empty());
    sidecars = CsiSidecars.start(apiServer, socket, dir, KEPT_LOGS);

    // The examples: the pool on this agent in a temporary directory, smaller than its 100Gi so a
    // claim can be too large for it; the StorageClass exactly as users apply it.
    poolDirectory = dir.resolve("pool");
    IscsiPool pool =
        load(
            IscsiPool.class,
            example("pool.yaml")
                .replace("/var/lib/lunar/pools/local", poolDirectory.toString())
                .replace("capacity: 100Gi", "capacity: " + POOL_CAPACITY));
    poolName = pool.getMetadata().getName();
    client.resource(pool).create();
    StorageClass storageClass = load(StorageClass.class, example("storageclass.yaml"));
    client.resource(storageClass).create();
    await(
        "IscsiPool " + poolName + " measured",
        WITHIN,
        () -> client.resources(IscsiPool.class).withName(poolName).get(),
        p ->
            p.getStatus() != null && Long.valueOf(POOL_CAPACITY).equals(p.getStatus().freeBytes()));
  }

  @AfterAll
  static void stop() {
    if (sidecars != null) {
      sidecars.close();
    }
    if (controller != null) {
      controller.close();
    }
    if (operator != null) {
      operator.close();
    }
    if (agent != null) {
      agent.close();
      keep(dir.resolve("agent/agent.log"));
    }
    if (apiServer != null) {
      apiServer.close();
    }
    logs.detach();
  }

  /** A log kept past the temporary directory, for a failed run. */
  private static void keep(Path log) {
    try {
      Files.createDirectories(KEPT_LOGS);
      Files.copy(log, KEPT_LOGS.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      System.err.println("CsiProvisioningIT: could not keep " + log + ": " + e);
    }
  }

  @Test
  @Order(1)
  void aClaimIsBoundToALunOnlyTheNodeItIsAttachedToLogsIntoAndDeletingItFreesThePool()
      throws Exception {
    PersistentVolumeClaim example = load(PersistentVolumeClaim.class, example("pvc.yaml"));
    long size =
        Quantity.getAmountInBytes(example.getSpec().getResources().getRequests().get("storage"))
            .longValue();
    long started = System.nanoTime();
    client.resource(example).create();
    PersistentVolumeClaim bound =
        awaitRunning(
            "claim " + example.getMetadata().getName() + " Bound",
            () -> claim(example.getMetadata().getName()),
            c -> c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()));
    double boundIn = seconds(started);
    assertThat(reasons(example.getMetadata().getName())).contains("ProvisioningSucceeded");

    // The PV: a CSI volume of this driver whose context says where to log in, and whose stage
    // secret is the volume's CHAP Secret in the driver's namespace.
    String volume = bound.getSpec().getVolumeName();
    PersistentVolume pv = client.persistentVolumes().withName(volume).get();
    IscsiTarget target = target(volume);
    IscsiLun lun = lun(volume);
    assertThat(pv.getSpec().getCsi().getDriver()).isEqualTo(DRIVER);
    assertThat(pv.getSpec().getCsi().getVolumeHandle()).isEqualTo(volume);
    assertThat(pv.getSpec().getCsi().getFsType()).isEqualTo("ext4");
    assertThat(pv.getSpec().getCsi().getVolumeAttributes())
        .containsEntry("portal", agent.portal())
        .containsEntry("iqn", target.getStatus().iqn())
        .containsEntry("lun", "1");
    assertThat(pv.getSpec().getCsi().getNodeStageSecretRef().getName()).isEqualTo(volume + "-chap");
    assertThat(pv.getSpec().getCsi().getNodeStageSecretRef().getNamespace()).isEqualTo(SYSTEM);
    assertThat(pv.getSpec().getCapacity().get("storage").getNumericalAmount().longValue())
        .isEqualTo(size);
    assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Delete");
    assertThat(lun.getSpec().lun()).isEqualTo(1);
    assertThat(lun.getSpec().backing().pool().name()).isEqualTo(poolName);
    assertThat(admitted(target)).isEmpty();

    // The pool counts the volume, whose file the agent made in the pool's directory.
    Path file = poolDirectory.resolve(lun.getMetadata().getUid() + ".lunar-volume");
    assertThat(file).isRegularFile();
    IscsiPool pool =
        await(
            "the pool counting the volume",
            WITHIN,
            CsiProvisioningIT::pool,
            p -> Long.valueOf(size).equals(p.getStatus().allocatedBytes()));
    assertThat(pool.getStatus().volumeCount()).isEqualTo(1);
    assertThat(pool.getStatus().freeBytes()).isEqualTo(POOL_CAPACITY - size);

    // The CHAP account the node plugin would read, through the PV's own reference.
    Secret secret =
        client
            .secrets()
            .inNamespace(pv.getSpec().getCsi().getNodeStageSecretRef().getNamespace())
            .withName(pv.getSpec().getCsi().getNodeStageSecretRef().getName())
            .get();
    String user = decode(secret, "username");
    String password = decode(secret, "password");
    passwords.add(password);
    String portal = pv.getSpec().getCsi().getVolumeAttributes().get("portal");
    String iqn = pv.getSpec().getCsi().getVolumeAttributes().get("iqn");
    String url = "iscsi://" + user + "%" + password + "@" + portal + "/" + iqn + "/1";
    assertThat(loginFailure(NODE_IQN, url))
        .as("login before the volume is attached")
        .contains(NOT_ADMITTED);

    // Attached to the node: the VolumeAttachment kube-controller-manager's attach-detach controller
    // writes when a pod on the node uses the claim, under the name it gives it. Kubelet goes on to
    // NodeStageVolume the moment it says attached, so the node's login then must get in at once.
    VolumeAttachment attaching = KubeletStandIn.attachment(volume, NODE);
    String attachment = attaching.getMetadata().getName();
    started = System.nanoTime();
    String atAttach =
        atTheMoment(
            attachment,
            a ->
                a != null
                    && a.getStatus() != null
                    && Boolean.TRUE.equals(a.getStatus().getAttached()),
            () -> loginFailure(NODE_IQN, url),
            () -> client.storage().v1().volumeAttachments().resource(attaching).create());
    double attachedIn = seconds(started);
    assertThat(atAttach)
        .as("the node's login the moment its VolumeAttachment said attached")
        .isNull();
    assertThat(admitted(target(volume))).containsExactly(NODE_IQN);
    assertThat(Commands.run(inquiry(NODE_IQN, url).toArray(String[]::new)))
        .contains("DIRECT_ACCESS");
    assertThat(Commands.run("iscsi-readcapacity16", "-i", NODE_IQN, url))
        .contains("Total size:" + size);
    assertThat(loginFailure(OTHER_IQN, url))
        .as("login as another initiator name")
        .contains(NOT_ADMITTED);
    assertThat(loginFailure(NODE_IQN, url.replace(password, "wrong" + password.substring(5))))
        .as("login with a wrong password")
        .contains(WRONG_SECRET);

    // Detached: once the VolumeAttachment is gone (the attach-detach controller then lets another
    // node attach a ReadWriteOnce volume), this node's name is out of the ACL the agent serves.
    started = System.nanoTime();
    String atDetach =
        atTheMoment(
            attachment,
            a -> a == null,
            () -> loginFailure(NODE_IQN, url),
            () -> client.storage().v1().volumeAttachments().withName(attachment).delete());
    double detachedIn = seconds(started);
    assertThat(atDetach)
        .as("the node's login the moment its VolumeAttachment was gone")
        .contains(NOT_ADMITTED);
    assertThat(admitted(target(volume))).isEmpty();

    // Deleting the claim deletes the volume: PV, LUN, target, Secret and file, and the pool's
    // space.
    started = System.nanoTime();
    client.resource(bound).delete();
    awaitRunning(
        "PV " + volume + " gone",
        () -> client.persistentVolumes().withName(volume).get(),
        p -> p == null);
    double deletedIn = seconds(started);
    assertThat(lun(volume)).isNull();
    assertThat(target(volume)).isNull();
    assertThat(claim(example.getMetadata().getName())).isNull();
    await(
        "Secret " + volume + "-chap gone with its target",
        WITHIN,
        () -> client.secrets().inNamespace(SYSTEM).withName(volume + "-chap").get(),
        s -> s == null);
    await("the volume's file gone", WITHIN, () -> Files.exists(file), exists -> !exists);
    pool =
        await(
            "the pool's space freed",
            WITHIN,
            CsiProvisioningIT::pool,
            p -> Long.valueOf(0).equals(p.getStatus().allocatedBytes()));
    assertThat(pool.getStatus().freeBytes()).isEqualTo(POOL_CAPACITY);
    assertThat(pool.getStatus().volumeCount()).isZero();

    System.out.printf(
        "CSI with the sidecars: claim Bound in %.1f s, attached (the agent serving the node's"
            + " name) in %.1f s, detached in %.1f s, PV gone %.1f s after the claim's deletion%n",
        boundIn, attachedIn, detachedIn, deletedIn);
  }

  @Test
  @Order(2)
  void aClaimLargerThanAnyPoolStaysPendingWithAnEventThatSaysWhy() {
    IscsiPool before = pool();
    long wanted = POOL_CAPACITY + (1L << 30);
    long started = System.nanoTime();
    String name = "too-large";
    client
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(CLAIMS)
                .endMetadata()
                .withNewSpec()
                .withStorageClassName("lunar")
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .addToRequests("storage", new Quantity(Long.toString(wanted)))
                .endResources()
                .endSpec()
                .build())
        .create();
    Event failed =
        awaitRunning(
            "a ProvisioningFailed event on claim " + name,
            () ->
                client.v1().events().inNamespace(CLAIMS).list().getItems().stream()
                    .filter(e -> name.equals(e.getInvolvedObject().getName()))
                    .filter(e -> "ProvisioningFailed".equals(e.getReason()))
                    .findFirst()
                    .orElse(null),
            e -> e != null);
    double eventIn = seconds(started);
    System.out.printf(
        "CSI with the sidecars: claim too large for the pool: %s %s after %.1f s: %s%n",
        failed.getType(), failed.getReason(), eventIn, failed.getMessage());
    assertThat(failed.getType()).isEqualTo("Warning");
    assertThat(failed.getMessage())
        .contains("ResourceExhausted")
        .contains(
            "IscsiPool "
                + poolName
                + " has room for a volume of "
                + before.getStatus().maxVolumeBytes()
                + " bytes at most")
        .contains("needs " + wanted);
    PersistentVolumeClaim pending = claim(name);
    assertThat(pending.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(pending.getSpec().getVolumeName()).isNull();
    // Nothing was carved: no LUN under the name the provisioner asked for, the pool untouched.
    assertThat(lun("pvc-" + pending.getMetadata().getUid())).isNull();
    assertThat(pool().getStatus().allocatedBytes()).isEqualTo(before.getStatus().allocatedBytes());
    client.persistentVolumeClaims().inNamespace(CLAIMS).withName(name).delete();
  }

  @Test
  @Order(3)
  void noLogHoldsAVolumesChapPassword() {
    assumeTrue(!passwords.isEmpty(), "the first test read no CHAP Secret");
    Map<String, String> all = new java.util.LinkedHashMap<>();
    all.put("operator and CSI controller (in-process)", logs.text());
    all.put("agent", agent.log());
    all.putAll(sidecars.logs());
    assertThat(logs.text()).as("the in-process log was captured").contains("creating volume");
    for (var log : all.entrySet()) {
      for (String password : passwords) {
        assertThat(log.getValue()).as("the log of %s", log.getKey()).doesNotContain(password);
      }
    }
  }

  /** Waits like {@code await}, failing at once with their logs when a daemon exited meanwhile. */
  private static <T> T awaitRunning(String what, Supplier<T> value, Predicate<T> done) {
    return await(
        what,
        WITHIN,
        () -> {
          sidecars.assertRunning();
          return value.get();
        },
        done);
  }

  /**
   * Does {@code action}, then runs {@code probe} the moment a watch sees VolumeAttachment {@code
   * name} in {@code state} (null: deleted), as kubelet and the attach-detach controller act on it.
   */
  private static <T> T atTheMoment(
      String name, Predicate<VolumeAttachment> state, Supplier<T> probe, Runnable action)
      throws Exception {
    CompletableFuture<T> seen = new CompletableFuture<>();
    Watcher<VolumeAttachment> watcher =
        new Watcher<>() {
          @Override
          public void eventReceived(Action event, VolumeAttachment attachment) {
            if (!seen.isDone() && state.test(event == Action.DELETED ? null : attachment)) {
              seen.complete(probe.get());
            }
          }

          @Override
          public void onClose(WatcherException cause) {
            seen.completeExceptionally(cause);
          }
        };
    try (Watch watch = client.storage().v1().volumeAttachments().withName(name).watch(watcher)) {
      action.run();
      long deadline = System.nanoTime() + WITHIN.toNanos();
      while (true) {
        sidecars.assertRunning();
        try {
          return seen.get(1, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          assertThat(System.nanoTime())
              .as("VolumeAttachment %s reaching the state within %s", name, WITHIN)
              .isLessThan(deadline);
        }
      }
    }
  }

  /** The reasons of the events about claim {@code name}. */
  private static List<String> reasons(String name) {
    return client.v1().events().inNamespace(CLAIMS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .toList();
  }

  /** What libiscsi says when its login as {@code initiator} fails, or null when it succeeds. */
  private static String loginFailure(String initiator, String url) {
    var inquiry = Commands.capture(Duration.ofSeconds(30), inquiry(initiator, url));
    return inquiry.exitCode() == 0 ? null : inquiry.all();
  }

  private static List<String> inquiry(String initiator, String url) {
    return List.of("iscsi-inq", "-i", initiator, url);
  }

  private static String decode(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static PersistentVolumeClaim claim(String name) {
    return client.persistentVolumeClaims().inNamespace(CLAIMS).withName(name).get();
  }

  /** The initiator names the target's ACL lists. */
  private static List<String> admitted(IscsiTarget target) {
    var acl = target.getSpec().initiators();
    return acl == null || acl.names() == null ? List.of() : acl.names();
  }

  private static IscsiTarget target(String name) {
    return client.resources(IscsiTarget.class).inNamespace(SYSTEM).withName(name).get();
  }

  private static IscsiLun lun(String name) {
    return client.resources(IscsiLun.class).inNamespace(SYSTEM).withName(name).get();
  }

  private static IscsiPool pool() {
    return client.resources(IscsiPool.class).withName(poolName).get();
  }

  private static String example(String file) throws IOException {
    return Files.readString(EXAMPLES.resolve(file));
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T load(
      Class<T> type, String yaml) {
    return client
        .resources(type)
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .item();
  }
}
