package dev.lunar.agent.node;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One volume group as LVM reports it now: the group, or null when the node has none of that name,
 * and its logical volumes by name.
 */
record GroupState(VolumeGroup group, Map<String, LogicalVolume> volumes) {

  static GroupState load(Lvm lvm, String name) throws IOException {
    VolumeGroup group =
        lvm.volumeGroups().stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
    Map<String, LogicalVolume> volumes = new LinkedHashMap<>();
    if (group != null) {
      lvm.logicalVolumes(name).forEach(v -> volumes.put(v.name(), v));
    }
    return new GroupState(group, volumes);
  }

  /** The thin pool of that name, or null when the group has no thin-pool volume so named. */
  LogicalVolume thinPool(String name) {
    LogicalVolume pool = name == null ? null : volumes.get(name);
    return pool != null && pool.thinPool() ? pool : null;
  }

  /** What the thin pool can still store, or its size when LVM does not know how full it is. */
  static long thinPoolFree(LogicalVolume pool) {
    if (pool.dataPercent() == null) {
      // An inactive pool reports no fill level; the next lvcreate activates it and the next
      // measurement sees it. Until then the Lunar-side bound (capacity - allocated) holds alone.
      return pool.sizeBytes();
    }
    double used = Math.min(100.0, Math.max(0.0, pool.dataPercent()));
    return (long) Math.floor(pool.sizeBytes() * (100.0 - used) / 100.0);
  }

  /** Why the thin pool may not take thin volumes, as a sentence, or null when it may. */
  static String notZeroing(String group, LogicalVolume pool) {
    if (pool.zero() == 1) {
      return null;
    }
    // With chunk zeroing off a new chunk holds what a deleted volume wrote there, and a write
    // smaller than the chunk leaves the rest of it readable by the new owner. Zeroing each thin
    // volume up front would provision it fully, which defeats thin volumes: refuse instead.
    return "thin pool "
        + group
        + "/"
        + pool.name()
        + " does not zero new chunks, so a thin volume would show data of deleted ones; turn it on"
        + " with: lvchange --zero y "
        + group
        + "/"
        + pool.name();
  }
}
