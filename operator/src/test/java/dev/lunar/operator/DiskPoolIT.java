package dev.lunar.operator;

import static dev.lunar.testing.Commands.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.crds.api.v1alpha1.IscsiPoolStatus;
import dev.lunar.testing.Commands;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk pool served for real: a loop device full of junk with a /dev/disk/by-id link, the real API
 * server, the operator in-process and an agent process. The operator gives the disk to the first
 * volume, the agent zeroes it and serves it whole to a libiscsi initiator, a second volume is
 * refused while the disk is taken, gets it once the first is deleted, and the disk reads as zeros
 * again once the last volume is gone.
 */
class DiskPoolIT {

  private static final String NODE = "worker-1";
  private static final String SYSTEM = "lunar-system";
  private static final String NAMESPACE = "lunar-demo";
  private static final String POOL = "disks";
  private static final String IQN = "iqn.2026-12.dev.lunar.it:disks";
  private static final long DISK_BYTES = 64L << 20;
  private static final int DATA_BYTES = 1 << 20;
  private static final Duration WITHIN = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void aJunkDiskIsZeroedServedWholeRefusedToASecondVolumeAndWipedWhenReleased() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root for losetup and /dev");
    boolean hadDevDisk = Files.exists(ByIdLoopDisk.BY_ID.getParent());
    boolean hadById = Files.exists(ByIdLoopDisk.BY_ID);
    ByIdLoopDisk used;
    try (RealApiServer apiServer = RealApiServer.start();
        ByIdLoopDisk disk = ByIdLoopDisk.attach(dir.resolve("disk.img"), DISK_BYTES);
        AgentProcess agent = startAgent(apiServer);
        LunarOperator operator = startOperator(apiServer.client())) {
      used = disk;
      new Scenario(apiServer.client(), agent, disk).run();
    }
    // The host as before: the link and any directory made for it gone, the loop device detached.
    assertThat(Files.exists(ByIdLoopDisk.BY_ID.getParent())).isEqualTo(hadDevDisk);
    assertThat(Files.exists(ByIdLoopDisk.BY_ID)).isEqualTo(hadById);
    assertThat(Path.of(used.link())).doesNotExist();
    assertThat(used.attached()).isFalse();
    assertThat(dir.resolve("disk.img")).doesNotExist();
  }

  /** Before the disk is attached the agent would not know it; so it starts after. */
  private AgentProcess startAgent(RealApiServer apiServer) throws IOException {
    apiServer.applyCommittedCrds();
    KubernetesClient client = apiServer.client();
    for (String namespace : List.of(SYSTEM, NAMESPACE)) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }
    Path agentDir = Files.createDirectories(dir.resolve("agent"));
    return new AgentProcess(agentDir, NODE, SYSTEM, apiServer.kubeConfigYaml()).start();
  }

  private static LunarOperator startOperator(KubernetesClient client) {
    var local = new InetSocketAddress("127.0.0.1", 0);
    return LunarOperator.start(
        client, new OperatorSettings(SYSTEM, false, "lunar-operator", "it", local, local));
  }

  /** The steps, sharing the client, the agent and the disk. */
  private final class Scenario {

    private final KubernetesClient client;
    private final AgentProcess agent;
    private final ByIdLoopDisk disk;

    Scenario(KubernetesClient client, AgentProcess agent, ByIdLoopDisk disk) {
      this.client = client;
      this.agent = agent;
      this.disk = disk;
    }

    void run() throws Exception {
      apply(
          """
          apiVersion: iscsi.lunar.dev/v1alpha1
          kind: IscsiPool
          metadata: {name: %s}
          spec: {node: %s, disks: {byIdPatterns: ["%s"]}}
          """
              .formatted(POOL, NODE, disk.link()));
      IscsiPool measured =
          await(
              "IscsiPool " + POOL + " Ready with the disk",
              WITHIN,
              this::pool,
              p -> ready(p.getStatus()) && Long.valueOf(DISK_BYTES).equals(capacity(p)));
      assertThat(measured.getStatus().freeBytes()).isEqualTo(DISK_BYTES);
      assertThat(measured.getStatus().disks())
          .singleElement()
          .satisfies(d -> assertThat(d.path()).isEqualTo(disk.link()));

      // The first volume: the disk recorded for it, zeroed, then served whole.
      long started = System.nanoTime();
      apply(target(), lun("first", 1));
      IscsiLun recorded =
          await("first's disk recorded", WITHIN, () -> lun("first"), l -> diskOf(l) != null);
      double recordedIn = seconds(started);
      assertThat(recorded.getStatus().disk()).isEqualTo(disk.link());
      IscsiLun first = await("first Ready", WITHIN, () -> lun("first"), DiskPoolIT::ready);
      double readyIn = seconds(started);
      assertThat(first.getStatus().size().toString()).isEqualTo("64Mi");
      long zeroingMillis = zeroingMillis(agent.log(), disk.link());
      assertThat(Commands.run("iscsi-readcapacity16", url(1))).contains("Total size:" + DISK_BYTES);
      assertThat(zeroFrom(readLun(1), 0)).as("the junk is gone").isTrue();
      byte[] data = writeData(1);
      byte[] back = readLun(1);
      assertThat(Arrays.copyOf(back, DATA_BYTES)).isEqualTo(data);
      assertThat(zeroFrom(back, DATA_BYTES)).isTrue();
      assertThat(Arrays.copyOf(disk.readDevice(), DATA_BYTES))
          .as("on the loop device")
          .isEqualTo(data);
      IscsiPool full =
          await(
              "the pool counting the volume",
              WITHIN,
              this::pool,
              p -> Long.valueOf(DISK_BYTES).equals(p.getStatus().allocatedBytes()));
      assertThat(full.getStatus().freeBytes()).isZero();
      assertThat(full.getStatus().volumeCount()).isEqualTo(1);
      assertThat(full.getStatus().disks().getFirst().volume()).isEqualTo(NAMESPACE + "/first");

      // A second volume of the same pool: no free disk.
      apply(lun("second", 2));
      IscsiLun refused =
          await(
              "second refused",
              WITHIN,
              () -> lun("second"),
              l -> readyCondition(l) != null && "PoolFull".equals(readyCondition(l).getReason()));
      assertThat(readyCondition(refused).getStatus()).isEqualTo("False");
      assertThat(readyCondition(refused).getMessage())
          .isEqualTo(
              "IscsiPool "
                  + POOL
                  + " has no free disk: its volumes hold 1 disk and no other is free; a disk is"
                  + " free again once its volume is deleted");
      assertThat(refused.getStatus().disk()).isNull();

      // The first volume deleted: the waiting one gets the disk, zeroed again, without the data.
      started = System.nanoTime();
      client.resources(IscsiLun.class).inNamespace(NAMESPACE).withName("first").delete();
      IscsiLun second = await("second Ready", WITHIN, () -> lun("second"), DiskPoolIT::ready);
      double handedOverIn = seconds(started);
      assertThat(second.getStatus().disk()).isEqualTo(disk.link());
      assertThat(lun("first")).isNull();
      assertThat(Commands.run("iscsi-readcapacity16", url(2))).contains("Total size:" + DISK_BYTES);
      assertThat(zeroFrom(readLun(2), 0)).as("the first volume's data is gone").isTrue();
      writeData(2);

      // The last volume deleted: the disk wiped and free.
      started = System.nanoTime();
      client.resources(IscsiLun.class).inNamespace(NAMESPACE).withName("second").delete();
      IscsiPool freed =
          await(
              "the pool's disk free again",
              WITHIN,
              this::pool,
              p -> Long.valueOf(0).equals(p.getStatus().allocatedBytes()));
      await("the disk's zeroing record gone", WITHIN, this::ledger, List::isEmpty);
      double wipedIn = seconds(started);
      assertThat(freed.getStatus().freeBytes()).isEqualTo(DISK_BYTES);
      assertThat(freed.getStatus().volumeCount()).isZero();
      assertThat(zeroFrom(disk.readDevice(), 0)).as("the loop device after the wipe").isTrue();
      assertThat(agent.log())
          .contains(
              "zeroing "
                  + disk.link()
                  + " ("
                  + DISK_BYTES
                  + " bytes)"
                  + " after its volume left the spec");

      System.out.printf(
          "DISK-POOL-IT %d MiB loop disk by id: recorded %.1f s and Ready %.1f s after the"
              + " IscsiLun was made (zeroing %d ms); the waiting volume Ready %.1f s after the"
              + " first was deleted; wiped and free %.1f s after the last was deleted%n",
          DISK_BYTES >> 20, recordedIn, readyIn, zeroingMillis, handedOverIn, wipedIn);
    }

    private String target() {
      return """
          apiVersion: iscsi.lunar.dev/v1alpha1
          kind: IscsiTarget
          metadata: {name: disks, namespace: %s}
          spec: {node: %s, iqn: "%s", port: %d, initiators: {addresses: [127.0.0.0/8]}}
          """
          .formatted(NAMESPACE, NODE, IQN, port());
    }

    private String lun(String name, int number) {
      return """
          apiVersion: iscsi.lunar.dev/v1alpha1
          kind: IscsiLun
          metadata: {name: %s, namespace: %s}
          spec: {target: disks, lun: %d, backing: {pool: {name: %s, size: 32Mi}}}
          """
          .formatted(name, NAMESPACE, number, POOL);
    }

    private void apply(String... yamls) {
      String all = String.join("\n---\n", yamls);
      client.load(new ByteArrayInputStream(all.getBytes(StandardCharsets.UTF_8))).serverSideApply();
    }

    private int port() {
      return Integer.parseInt(agent.portal().substring(agent.portal().indexOf(':') + 1));
    }

    private String url(int lun) {
      return "iscsi://" + agent.portal() + "/" + IQN + "/" + lun;
    }

    /** The whole LUN through a libiscsi initiator (qemu-img's iSCSI driver). */
    private byte[] readLun(int lun) throws IOException {
      Path out = dir.resolve("read-" + lun + ".raw");
      Files.deleteIfExists(out);
      Commands.run("qemu-img", "convert", "-f", "raw", "-O", "raw", url(lun), out.toString());
      try {
        byte[] bytes = Files.readAllBytes(out);
        assertThat(bytes).hasSize((int) DISK_BYTES);
        return bytes;
      } finally {
        Files.delete(out);
      }
    }

    /** Random bytes written at the start of the LUN through iSCSI; returns them. */
    private byte[] writeData(int lun) throws IOException {
      byte[] data = new byte[DATA_BYTES];
      new Random(lun).nextBytes(data);
      Path in = Files.write(dir.resolve("data-" + lun + ".raw"), data);
      Commands.run("qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", in.toString(), url(lun));
      return data;
    }

    /** The agent's zeroing records (one file per disk it zeroed and has not released). */
    private List<Path> ledger() {
      Path records = dir.resolve("agent/state/pool-disks");
      if (!Files.isDirectory(records)) {
        return List.of();
      }
      try (Stream<Path> files = Files.list(records)) {
        return files.toList();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    private IscsiPool pool() {
      return client.resources(IscsiPool.class).withName(POOL).get();
    }

    private IscsiLun lun(String name) {
      return client.resources(IscsiLun.class).inNamespace(NAMESPACE).withName(name).get();
    }
  }

  private static Long capacity(IscsiPool pool) {
    return pool.getStatus() == null ? null : pool.getStatus().capacityBytes();
  }

  private static boolean ready(IscsiPoolStatus status) {
    return status != null
        && status.conditions() != null
        && status.conditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static boolean ready(IscsiLun lun) {
    Condition c = readyCondition(lun);
    return c != null && "True".equals(c.getStatus());
  }

  private static Condition readyCondition(IscsiLun lun) {
    if (lun == null || lun.getStatus() == null || lun.getStatus().conditions() == null) {
      return null;
    }
    return lun.getStatus().conditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private static String diskOf(IscsiLun lun) {
    return lun == null || lun.getStatus() == null ? null : lun.getStatus().disk();
  }

  /**
   * Milliseconds between the agent's log lines that start and end the first zeroing of {@code
   * disk}; fails when either is missing.
   */
  private static long zeroingMillis(String log, String disk) {
    List<String> lines = log.lines().toList();
    int start = indexOf(lines, "zeroing " + disk + " (" + DISK_BYTES + " bytes) before", 0);
    int end = indexOf(lines, "zeroed " + disk + " (" + DISK_BYTES + " bytes)", start);
    return Duration.between(timeOf(lines.get(start)), timeOf(lines.get(end))).toMillis();
  }

  private static int indexOf(List<String> lines, String text, int from) {
    for (int i = from; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    throw new AssertionError("no agent log line with '" + text + "':\n" + String.join("\n", lines));
  }

  /** A log line's timestamp, its first word. */
  private static java.time.OffsetDateTime timeOf(String line) {
    return java.time.OffsetDateTime.parse(line.substring(0, line.indexOf(' ')));
  }

  /** Whether every byte from {@code from} on is zero. */
  private static boolean zeroFrom(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
