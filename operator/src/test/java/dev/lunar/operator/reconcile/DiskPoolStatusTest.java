package dev.lunar.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiLunStatus;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.crds.api.v1alpha1.IscsiPoolStatus;
import dev.lunar.crds.api.v1alpha1.IscsiPoolStatus.PoolDisk;
import dev.lunar.operator.plan.Verdict;
import dev.lunar.operator.reconcile.LunStatusFolder.Volume;
import dev.lunar.operator.view.NodeHealth;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A disk pool's status from the plan's disks, and the disk record on a volume's status. */
class DiskPoolStatusTest {

  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private static final NodeHealth ALIVE = new NodeHealth(true, "alive", Duration.ofSeconds(40));
  private static final long GI = 1L << 30;

  private static final IscsiPool POOL =
      Serialization.unmarshal(
          """
          apiVersion: iscsi.lunar.dev/v1alpha1
          kind: IscsiPool
          metadata: {name: disks, generation: 2}
          spec: {node: worker-1, disks: {}}
          """,
          IscsiPool.class);

  private static IscsiNode node(String status) {
    return Serialization.unmarshal(
        "apiVersion: iscsi.lunar.dev/v1alpha1\nkind: IscsiNode\nmetadata: {name: worker-1}\n"
            + status,
        IscsiNode.class);
  }

  @Test
  void capacityIsTheSumOfTheDisksAndTheLargestVolumeTheLargestFreeDisk() {
    List<PoolDisk> disks =
        List.of(
            new PoolDisk("/dev/disk/by-id/a", 10 * GI, "apps/x"),
            new PoolDisk("/dev/disk/by-id/b", 20 * GI, null),
            new PoolDisk("/dev/disk/by-id/c", 30 * GI, null));

    IscsiPoolStatus status =
        PoolStatusFolder.fold(POOL, node("status: {disks: []}"), ALIVE, disks, NOW);

    assertThat(status.conditions().getFirst().getStatus()).isEqualTo("True");
    assertThat(status.conditions().getFirst().getMessage())
        .isEqualTo("3 disk(s) of node worker-1, 2 free");
    assertThat(status.capacityBytes()).isEqualTo(60 * GI);
    assertThat(status.allocatedBytes()).isEqualTo(10 * GI);
    assertThat(status.freeBytes()).isEqualTo(50 * GI);
    assertThat(status.maxVolumeBytes()).isEqualTo(30 * GI);
    assertThat(status.volumeCount()).isEqualTo(1);
    assertThat(status.capacity()).isEqualTo(new Quantity("60", "Gi"));
    assertThat(status.disks()).isEqualTo(disks);
  }

  @Test
  void aPoolIsNotReadyUntilItsNodeReportedAnInventory() {
    IscsiPoolStatus status = PoolStatusFolder.fold(POOL, node(""), ALIVE, List.of(), NOW);

    assertThat(status.conditions().getFirst().getReason()).isEqualTo("NotMeasured");
    assertThat(status.conditions().getFirst().getMessage())
        .isEqualTo("the agent of node worker-1 has not reported its disks yet");
    assertThat(status.capacityBytes()).isNull();
  }

  @Test
  void aRecordedDiskStaysOnTheVolumesStatusWhateverThePlanSaysNow() {
    IscsiLun lun =
        Serialization.unmarshal(
            """
            apiVersion: iscsi.lunar.dev/v1alpha1
            kind: IscsiLun
            metadata: {name: a, namespace: apps}
            spec: {target: a, lun: 1, backing: {pool: {name: disks, size: 1Gi}}}
            """,
            IscsiLun.class);
    Verdict assigned = new Verdict(Verdict.DISK_ASSIGNED, "assigned");

    IscsiLunStatus first =
        LunStatusFolder.fold(lun, assigned, null, Volume.NONE, "/dev/disk/by-id/a", NOW);
    lun.setStatus(first);
    IscsiLunStatus later =
        LunStatusFolder.fold(lun, assigned, null, Volume.NONE, "/dev/disk/by-id/b", NOW);

    assertThat(first.disk()).isEqualTo("/dev/disk/by-id/a");
    assertThat(later.disk()).isEqualTo("/dev/disk/by-id/a");
    assertThat(first.conditions())
        .anySatisfy(c -> assertThat(c.getReason()).isEqualTo(Verdict.DISK_ASSIGNED));
  }
}
