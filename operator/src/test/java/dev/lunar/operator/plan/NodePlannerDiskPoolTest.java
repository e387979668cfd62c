package dev.lunar.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.crds.api.v1alpha1.IscsiPoolStatus.PoolDisk;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The planner's disk pools: best fit, oldest claim first, an assignment that holds once recorded
 * whatever happens to the inventory, and never one disk for two volumes.
 */
class NodePlannerDiskPoolTest {

  private static final String BY_ID = "/dev/disk/by-id/";
  private static final long GI = 1L << 30;

  private static IscsiTarget target(String name) {
    return Serialization.unmarshal(
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiTarget
        metadata: {name: %s, namespace: apps, creationTimestamp: "2026-11-01T00:00:00Z"}
        spec: {node: worker-1}
        """
            .formatted(name),
        IscsiTarget.class);
  }

  /** A volume of pool {@code disks}; {@code recorded} is its status.disk, or null. */
  private static IscsiLun volume(String name, String size, int second, String recorded) {
    IscsiLun lun =
        Serialization.unmarshal(
            """
            apiVersion: iscsi.lunar.dev/v1alpha1
            kind: IscsiLun
            metadata: {name: %s, namespace: apps, uid: uid-%s, creationTimestamp: "2026-11-01T00:00:%02dZ"}
            spec: {target: %s, lun: 1, backing: {pool: {name: disks, size: %s}}}
            """
                .formatted(name, name, second, name, size),
            IscsiLun.class);
    if (recorded != null) {
      lun.setStatus(
          new dev.lunar.crds.api.v1alpha1.IscsiLunStatus(
              null, null, null, null, null, null, null, null, BY_ID + recorded));
    }
    return lun;
  }

  private static IscsiPool pool(String selection) {
    return Serialization.unmarshal(
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiPool
        metadata: {name: disks}
        spec: {node: worker-1, disks: %s}
        """
            .formatted(selection),
        IscsiPool.class);
  }

  /** An inventory line: a disk with one by-id name, safe unless {@code unsafe} says why not. */
  private static String disk(String name, long bytes, String unsafe) {
    return "{name: %s, byIdPaths: ['%s%s'], sizeBytes: %d, rotational: false, safe: %s%s}"
        .formatted(
            name,
            BY_ID,
            "ata-" + name,
            bytes,
            unsafe == null,
            unsafe == null ? "" : ", unsafeReason: '" + unsafe + "'");
  }

  private static IscsiNode node(String... disks) {
    return Serialization.unmarshal(
        "apiVersion: iscsi.lunar.dev/v1alpha1\nkind: IscsiNode\nmetadata: {name: worker-1}\n"
            + "status: {disks: ["
            + String.join(", ", disks)
            + "]}\n",
        IscsiNode.class);
  }

  private static final IscsiNode THREE_DISKS =
      node(disk("sdb", 10 * GI, null), disk("sdc", 20 * GI, null), disk("sdd", 50 * GI, null));

  private static Plan plan(List<IscsiLun> luns, IscsiPool pool, IscsiNode node) {
    List<IscsiTarget> targets = new ArrayList<>();
    luns.forEach(l -> targets.add(target(l.getSpec().target())));
    return NodePlanner.plan(
        targets, luns, List.of(pool), Map.of("worker-1", node), (ns, n) -> null, "lunar-system");
  }

  private static List<NodeLun> lunsOf(Plan plan) {
    return plan.nodes().get("worker-1").spec().targets().stream()
        .flatMap(t -> t.luns().stream())
        .toList();
  }

  @Test
  void aNewVolumeGetsTheSmallestFreeDiskThatFitsAndWaitsForTheRecord() {
    Plan plan = plan(List.of(volume("a", "15Gi", 1, null)), pool("{}"), THREE_DISKS);

    assertThat(plan.disks()).containsEntry("apps/a", BY_ID + "ata-sdc");
    Verdict verdict = plan.verdicts().get("apps/a");
    assertThat(verdict.reason()).isEqualTo(Verdict.DISK_ASSIGNED);
    assertThat(verdict.message())
        .isEqualTo(
            "disk /dev/disk/by-id/ata-sdc (21474836480 bytes) assigned; recording it on the"
                + " IscsiLun before node worker-1 zeroes it");
    // Not in the node's spec until recorded: the agent never zeroes a pick the operator may forget.
    assertThat(lunsOf(plan)).isEmpty();
    assertThat(plan.nodes().get("worker-1").spec().pools())
        .containsExactly(NodePool.disks("disks"));
  }

  @Test
  void aRecordedDiskIsServedFromItsByIdPathWithoutForceAndWithTheVolumesIdentity() {
    Plan plan = plan(List.of(volume("a", "15Gi", 1, "ata-sdc")), pool("{}"), THREE_DISKS);

    assertThat(plan.verdicts().get("apps/a").scheduled()).isTrue();
    NodeLun lun = lunsOf(plan).getFirst();
    assertThat(lun.device()).isEqualTo(BY_ID + "ata-sdc");
    assertThat(lun.pool()).isEqualTo("disks");
    assertThat(lun.volume()).isEqualTo("uid-a");
    assertThat(lun.force()).isNull();
    assertThat(lun.file()).isNull();
    assertThat(lun.sizeBytes()).isNull();
    assertThat(lun.thin()).isNull();
  }

  @Test
  void aRecordedDiskStaysWhenTheInventoryCallsItUnsafeOrABetterDiskAppears() {
    // Served, the disk holds the tenant's filesystem; a 16Gi disk would now fit better.
    IscsiNode later =
        node(
            disk("sdb", 10 * GI, null),
            disk("sdc", 20 * GI, "holds a ext4 signature"),
            disk("sdd", 50 * GI, null),
            disk("sde", 16 * GI, null));
    IscsiPool narrowed = pool("{byIdPatterns: ['/dev/disk/by-id/ata-sdd']}");

    Plan plan = plan(List.of(volume("a", "15Gi", 1, "ata-sdc")), narrowed, later);

    assertThat(plan.verdicts().get("apps/a").scheduled()).isTrue();
    assertThat(lunsOf(plan)).extracting(NodeLun::device).containsExactly(BY_ID + "ata-sdc");
    assertThat(plan.disks()).containsExactly(Map.entry("apps/a", BY_ID + "ata-sdc"));
  }

  @Test
  void aRecordedDiskIsNeverOfferedAgainEvenWhileTheInventoryStillCallsItSafe() {
    Plan plan =
        plan(
            List.of(volume("young", "5Gi", 2, null), volume("old", "15Gi", 1, "ata-sdb")),
            pool("{}"),
            THREE_DISKS);

    // sdb (10Gi) would be the best fit for 5Gi, but it is old's.
    assertThat(plan.disks())
        .containsEntry("apps/old", BY_ID + "ata-sdb")
        .containsEntry("apps/young", BY_ID + "ata-sdc");
  }

  @Test
  void twoNewVolumesGetTwoDisksTheOlderOneChoosingFirst() {
    Plan plan =
        plan(
            List.of(volume("b", "5Gi", 2, null), volume("a", "5Gi", 1, null)),
            pool("{}"),
            THREE_DISKS);

    assertThat(plan.disks())
        .containsEntry("apps/a", BY_ID + "ata-sdb")
        .containsEntry("apps/b", BY_ID + "ata-sdc");
  }

  @Test
  void theYoungerOfTwoVolumesRecordingOneDiskIsRefused() {
    Plan plan =
        plan(
            List.of(volume("b", "5Gi", 2, "ata-sdb"), volume("a", "5Gi", 1, "ata-sdb")),
            pool("{}"),
            THREE_DISKS);

    assertThat(plan.verdicts().get("apps/a").scheduled()).isTrue();
    Verdict refused = plan.verdicts().get("apps/b");
    assertThat(refused.reason()).isEqualTo(Verdict.DISK_CONFLICT);
    assertThat(refused.message())
        .isEqualTo(
            "disk /dev/disk/by-id/ata-sdb is recorded for apps/a too, an older volume; this one"
                + " is not served until one of them is deleted");
    assertThat(lunsOf(plan)).extracting(NodeLun::source).containsExactly("apps/a");
  }

  @Test
  void aDiskExportedAsAPlainDeviceIsNoPoolDisk() {
    IscsiLun byHand =
        Serialization.unmarshal(
            """
            apiVersion: iscsi.lunar.dev/v1alpha1
            kind: IscsiLun
            metadata: {name: hand, namespace: apps, creationTimestamp: "2026-11-01T00:00:00Z"}
            spec: {target: hand, lun: 1, backing: {device: /dev/disk/by-id/ata-sdb}}
            """,
            IscsiLun.class);

    Plan plan = plan(List.of(byHand, volume("a", "5Gi", 1, null)), pool("{}"), THREE_DISKS);

    assertThat(plan.disks()).containsEntry("apps/a", BY_ID + "ata-sdc");
    assertThat(plan.poolDisks().get("disks"))
        .extracting(PoolDisk::path)
        .doesNotContain(BY_ID + "ata-sdb");
  }

  @Test
  void theSelectionTakesDisksByByIdPatternSizeAndRotation() {
    IscsiNode node =
        node(
            disk("sdb", 10 * GI, null),
            disk("sdc", 20 * GI, null),
            "{name: sdd, byIdPaths: ['/dev/disk/by-id/ata-sdd'], sizeBytes: 53687091200,"
                + " rotational: true, safe: true}",
            disk("nvme0n1", 100 * GI, null),
            // Unsafe, or without a by-id name (a loop device): never a pool disk.
            disk("sdf", 100 * GI, "mounted or used as swap"),
            "{name: loop0, byIdPaths: [], sizeBytes: 107374182400, safe: true}");
    IscsiPool pool =
        pool("{byIdPatterns: ['/dev/disk/by-id/ata-sd*'], minSize: 15Gi, rotational: false}");

    Plan plan = plan(List.of(), pool, node);

    assertThat(plan.poolDisks().get("disks"))
        .containsExactly(new PoolDisk(BY_ID + "ata-sdc", 20 * GI, null));
  }

  @Test
  void eachRefusalSaysWhatIsMissing() {
    IscsiLun big = volume("a", "60Gi", 1, null);

    Verdict noDisks = plan(List.of(big), pool("{}"), node()).verdicts().get("apps/a");
    IscsiNode noInventory =
        Serialization.unmarshal(
            "apiVersion: iscsi.lunar.dev/v1alpha1\nkind: IscsiNode\nmetadata: {name: worker-1}\n",
            IscsiNode.class);
    Verdict noStatus = plan(List.of(big), pool("{}"), noInventory).verdicts().get("apps/a");
    Verdict tooSmall = plan(List.of(big), pool("{}"), THREE_DISKS).verdicts().get("apps/a");
    Verdict allTaken =
        plan(
                List.of(
                    volume("x", "1Gi", 0, "ata-sdb"),
                    volume("y", "1Gi", 0, "ata-sdc"),
                    volume("z", "1Gi", 0, "ata-sdd"),
                    big),
                pool("{}"),
                THREE_DISKS)
            .verdicts()
            .get("apps/a");

    assertThat(noDisks.reason()).isEqualTo(Verdict.POOL_FULL);
    assertThat(noDisks.message())
        .isEqualTo(
            "IscsiPool disks has no disk: node worker-1 reports no safe disk with a"
                + " /dev/disk/by-id name that its selection takes");
    assertThat(noStatus.reason()).isEqualTo(Verdict.POOL_NOT_READY);
    assertThat(noStatus.message())
        .isEqualTo("IscsiPool disks: the agent of node worker-1 has not reported its disks yet");
    assertThat(tooSmall.reason()).isEqualTo(Verdict.POOL_FULL);
    assertThat(tooSmall.message())
        .isEqualTo(
            "IscsiPool disks has no free disk of at least 64424509440 bytes; the largest free"
                + " disk has 53687091200 bytes (3 free)");
    assertThat(allTaken.message())
        .isEqualTo(
            "IscsiPool disks has no free disk: its volumes hold 3 disks and no other is free; a"
                + " disk is free again once its volume is deleted");
  }

  @Test
  void aClaimWhileTheOnlyDiskHoldsATenantsFilesystemIsToldTheDiskIsTakenNotMissing() {
    // The served disk now holds the tenant's ext4, so the inventory calls it unsafe: it is still
    // the pool's, held by a volume, not "no disk".
    IscsiNode served = node(disk("sdb", 10 * GI, "holds a ext4 signature"));

    Verdict second =
        plan(
                List.of(volume("a", "1Gi", 0, "ata-sdb"), volume("b", "1Gi", 1, null)),
                pool("{}"),
                served)
            .verdicts()
            .get("apps/b");

    assertThat(second.reason()).isEqualTo(Verdict.POOL_FULL);
    assertThat(second.message())
        .isEqualTo(
            "IscsiPool disks has no free disk: its volumes hold 1 disk and no other is free; a"
                + " disk is free again once its volume is deleted");
  }

  @Test
  void thePoolsDisksListWhichVolumeHoldsEach() {
    Plan plan =
        plan(
            List.of(volume("a", "15Gi", 1, "ata-sdc"), volume("b", "1Gi", 2, null)),
            pool("{}"),
            THREE_DISKS);

    assertThat(plan.poolDisks().get("disks"))
        .containsExactly(
            new PoolDisk(BY_ID + "ata-sdb", 10 * GI, "apps/b"),
            new PoolDisk(BY_ID + "ata-sdc", 20 * GI, "apps/a"),
            new PoolDisk(BY_ID + "ata-sdd", 50 * GI, null));
  }
}
