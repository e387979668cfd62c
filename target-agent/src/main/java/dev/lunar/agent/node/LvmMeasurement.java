package dev.lunar.agent.node;

import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.IscsiNodeStatus.NodePoolStatus;
import java.io.IOException;

/**
 * A volume group pool's space. Without a thin pool the capacity is the group's size; with one, the
 * thin pool's size (thick volumes of such a pool, linear volumes beside the thin pool, count
 * against it too, so the pool never promises more than either has). Free is what is left of the
 * capacity after the volumes' full provisioned sizes, and never more than LVM really has
 * unallocated: the group's free extents, or what the thin pool can still store.
 */
final class LvmMeasurement {

  /** LVM could not be asked, or its answer not read. */
  static final String UNREADABLE = "PoolUnreadable";

  private final Lvm lvm;

  LvmMeasurement(Lvm lvm) {
    this.lvm = lvm;
  }

  /**
   * @param allocated the provisioned bytes of the spec's volumes in the pool
   * @param count how many volumes the spec puts in the pool
   */
  NodePoolStatus measure(NodePool pool, long allocated, int count) {
    String group = pool.volumeGroup();
    GroupState state;
    try {
      state = GroupState.load(lvm, group);
    } catch (IOException e) {
      return notReady(pool, UNREADABLE, e.getMessage(), allocated, count);
    }
    if (state.group() == null) {
      return notReady(
          pool,
          Refusal.VOLUME_GROUP_MISSING,
          "volume group " + group + " does not exist on this node",
          allocated,
          count);
    }
    long capacity = state.group().sizeBytes();
    long real = state.group().freeBytes();
    if (pool.thinPool() != null) {
      LogicalVolume thinPool = state.thinPool(pool.thinPool());
      if (thinPool == null) {
        return notReady(
            pool,
            Refusal.THIN_POOL_MISSING,
            "volume group " + group + " has no thin pool " + pool.thinPool(),
            allocated,
            count);
      }
      String notZeroing = GroupState.notZeroing(group, thinPool);
      if (notZeroing != null) {
        return notReady(pool, Refusal.THIN_POOL_NOT_ZEROING, notZeroing, allocated, count);
      }
      capacity = thinPool.sizeBytes();
      real = GroupState.thinPoolFree(thinPool);
    }
    long free = Math.max(0, Math.min(capacity - allocated, real));
    return new NodePoolStatus(pool.name(), true, null, null, capacity, allocated, free, count);
  }

  private static NodePoolStatus notReady(
      NodePool pool, String reason, String message, long allocated, int count) {
    return new NodePoolStatus(pool.name(), false, reason, message, null, allocated, null, count);
  }
}
