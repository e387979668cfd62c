package dev.lunar.operator.reconcile;

import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.crds.api.v1alpha1.IscsiPoolStatus;
import dev.lunar.crds.api.v1alpha1.IscsiPoolStatus.PoolDisk;
import dev.lunar.operator.reconcile.Conditions.Wanted;
import dev.lunar.operator.view.NodeHealth;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A disk pool's status; pure. Its node's agent measures nothing for it: the node's disk inventory
 * is the measurement, and the plan's disk assignments say which disks hold volumes. Capacity is the
 * sum of the pool's disks, allocated the sum of those holding volumes, and the largest volume a new
 * claim can get is the largest free disk, since a volume never spans disks.
 */
final class DiskPoolStatus {

  private DiskPoolStatus() {}

  static IscsiPoolStatus fold(
      IscsiPool pool, IscsiNode node, NodeHealth health, List<PoolDisk> disks, Instant now) {
    String nodeName = pool.getSpec().node();
    List<PoolDisk> listed = Objects.requireNonNullElse(disks, List.of());
    boolean inventoried =
        node != null && node.getStatus() != null && node.getStatus().disks() != null;
    long capacity = listed.stream().mapToLong(DiskPoolStatus::size).sum();
    long allocated =
        listed.stream().filter(d -> d.volume() != null).mapToLong(DiskPoolStatus::size).sum();
    long largestFree =
        listed.stream()
            .filter(d -> d.volume() == null)
            .mapToLong(DiskPoolStatus::size)
            .max()
            .orElse(0);
    int volumes = (int) listed.stream().filter(d -> d.volume() != null).count();
    Wanted ready;
    if (node == null) {
      ready = PoolStatusFolder.nodeNotFound(nodeName);
    } else if (!inventoried) {
      ready =
          new Wanted(
              Conditions.READY,
              false,
              PoolStatusFolder.NOT_MEASURED,
              "the agent of node " + nodeName + " has not reported its disks yet");
    } else if (health != null && !health.available()) {
      ready =
          new Wanted(Conditions.READY, false, PoolStatusFolder.AGENT_UNAVAILABLE, health.message());
    } else {
      ready =
          new Wanted(
              Conditions.READY,
              true,
              PoolStatusFolder.MEASURED,
              listed.size()
                  + " disk(s) of node "
                  + nodeName
                  + ", "
                  + (listed.size() - volumes)
                  + " free"
                  + (listed.isEmpty()
                      ? ": the node reports no safe disk with a /dev/disk/by-id name that the"
                          + " selection takes"
                      : ""));
    }
    long generation = PoolStatusFolder.generation(pool);
    var conditions = PoolStatusFolder.conditions(pool, now, ready);
    if (!inventoried) {
      return PoolStatusFolder.unmeasured(conditions, generation);
    }
    return new IscsiPoolStatus(
        conditions,
        generation,
        capacity,
        allocated,
        capacity - allocated,
        largestFree,
        PoolStatusFolder.quantity(capacity),
        PoolStatusFolder.quantity(capacity - allocated),
        volumes,
        listed);
  }

  /** A disk the node no longer lists counts as empty space: nothing a new volume could get. */
  private static long size(PoolDisk disk) {
    return Objects.requireNonNullElse(disk.sizeBytes(), 0L);
  }
}
