package dev.lunar.operator.plan;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.crds.api.v1alpha1.IscsiPoolSpec;
import dev.lunar.crds.api.v1alpha1.IscsiPoolStatus;
import dev.lunar.crds.api.v1alpha1.LunBacking.PoolBacking;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Admits volumes into pools, of any kind alike. A volume needs its pool to exist on its target's
 * node, to have been measured by that node's agent, and to have room for the volume's whole size:
 * thin or thick, a volume counts at its provisioned size, so a pool never promises more than it
 * holds. Claims are admitted oldest first, so a new volume can never push out an older one.
 *
 * <p>A volume already in its node's spec stays admitted whatever the pool reports now: leaving the
 * spec would withdraw the export and let the agent delete the volume's file, its data.
 */
final class PoolCheck {

  /**
   * The file suffix by which the agent knows a pool's volumes (and nothing else) in its directory.
   */
  static final String VOLUME_SUFFIX = ".lunar-volume";

  /**
   * How a volume group pool's logical volumes are named: this prefix and the LUN's UID. The agent
   * makes and removes only logical volumes so named, and tagged as Lunar's.
   */
  static final String LV_PREFIX = "lunar-";

  private final Map<String, IscsiPool> pools = new HashMap<>();
  private final Map<String, Long> allocated = new HashMap<>();
  private final DiskPools disks;

  /**
   * @param nodes the nodes as they are now, by name: their inventories and current specs
   * @param volumes every pool volume of the plan
   * @param exportedByNode per node, the device paths its plain device LUNs name
   */
  PoolCheck(
      List<IscsiPool> pools,
      Map<String, IscsiNode> nodes,
      List<IscsiLun> volumes,
      Map<String, Set<String>> exportedByNode) {
    pools.forEach(p -> this.pools.put(p.getMetadata().getName(), p));
    List<IscsiLun> diskVolumes =
        volumes.stream()
            .filter(l -> DiskPools.isDiskPool(this.pools.get(l.getSpec().backing().pool().name())))
            .toList();
    this.disks = new DiskPools(this.pools, nodes, diskVolumes, exportedByNode);
  }

  /** The disk of each disk-pool volume, recorded or picked by this plan, by LUN key. */
  Map<String, String> diskAssignments() {
    return disks.assignments();
  }

  /** The disks of each disk pool, for its status, by pool name. */
  Map<String, List<IscsiPoolStatus.PoolDisk>> poolDisks() {
    Map<String, List<IscsiPoolStatus.PoolDisk>> result = new HashMap<>();
    pools.values().stream()
        .filter(DiskPools::isDiskPool)
        .forEach(p -> result.put(p.getMetadata().getName(), disks.disksOf(p)));
    return result;
  }

  /**
   * Why {@code lun}, a pool volume, may not go into the spec of {@code node}, or null when it may.
   * Call in the order of the claims, oldest first.
   */
  Verdict admit(IscsiLun lun, String node, IscsiNode current) {
    PoolBacking backing = lun.getSpec().backing().pool();
    String name = backing.name();
    IscsiPool pool = pools.get(name);
    long size = bytes(backing.size());
    if (pool == null) {
      return new Verdict(Verdict.POOL_NOT_FOUND, "IscsiPool " + name + " does not exist");
    }
    String poolNode = pool.getSpec().node();
    if (!node.equals(poolNode)) {
      return new Verdict(
          Verdict.POOL_NOT_ON_NODE,
          "IscsiPool " + name + " is on node " + poolNode + ", the target on node " + node);
    }
    if (DiskPools.isDiskPool(pool)) {
      return disks.admit(lun, node, size);
    }
    long used = allocated.getOrDefault(name, 0L);
    if (inSpec(current, ObjectKeys.of(lun))) {
      allocated.put(name, used + size);
      return null;
    }
    if (pool.getMetadata().getDeletionTimestamp() != null) {
      return new Verdict(Verdict.POOL_FULL, "IscsiPool " + name + " is being deleted");
    }
    Long capacity = pool.getStatus() == null ? null : pool.getStatus().capacityBytes();
    if (capacity == null) {
      return new Verdict(
          Verdict.POOL_NOT_READY,
          "IscsiPool " + name + " has not been measured by the agent of node " + poolNode + " yet");
    }
    if (used + size > capacity) {
      return new Verdict(
          Verdict.POOL_FULL,
          "IscsiPool "
              + name
              + " has "
              + Math.max(0, capacity - used)
              + " bytes free of "
              + capacity
              + "; the volume needs "
              + size);
    }
    allocated.put(name, used + size);
    return null;
  }

  /** The pools on {@code node}, in name order, as its spec lists them. */
  List<NodePool> poolsOn(String node) {
    List<NodePool> result = new ArrayList<>();
    pools.values().stream()
        .filter(p -> node.equals(p.getSpec().node()))
        .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()))
        .forEach(p -> result.add(nodePool(p)));
    result.removeIf(Objects::isNull);
    return result;
  }

  /** The node's entry for a pool, or null for a kind this operator does not know. */
  private static NodePool nodePool(IscsiPool pool) {
    String name = pool.getMetadata().getName();
    IscsiPoolSpec.DirectoryPool directory = pool.getSpec().directory();
    if (directory != null) {
      return NodePool.directory(
          name,
          directory.path(),
          directory.capacity() == null ? null : bytes(directory.capacity()));
    }
    IscsiPoolSpec.VolumeGroupPool group = pool.getSpec().volumeGroup();
    if (group != null) {
      return NodePool.volumeGroup(name, group.name(), group.thinPool());
    }
    return DiskPools.isDiskPool(pool) ? NodePool.disks(name) : null;
  }

  /**
   * The node's entry for an admitted volume, named after the LUN's UID: a file of its own in a
   * directory pool, a logical volume of its own ({@code /dev/<vg>/lunar-<uid>}, a block device to
   * the engine) in a volume group pool, the whole disk recorded for it in a disk pool.
   */
  NodeLun volume(NodeLun base, IscsiLun lun) {
    PoolBacking backing = lun.getSpec().backing().pool();
    IscsiPool pool = pools.get(backing.name());
    if (DiskPools.isDiskPool(pool)) {
      return diskVolume(base, lun);
    }
    IscsiPoolSpec spec = pool.getSpec();
    String uid = lun.getMetadata().getUid();
    boolean directory = spec.directory() != null;
    return new NodeLun(
        base.lun(),
        base.source(),
        directory ? null : logicalVolumePath(spec.volumeGroup().name(), uid),
        directory ? volumePath(spec.directory().path(), uid) : null,
        bytes(backing.size()),
        Objects.requireNonNullElse(backing.thin(), true),
        base.readOnly(),
        base.blockSize(),
        base.serial(),
        base.wwn(),
        base.force(),
        backing.name(),
        null);
  }

  /**
   * A disk pool's volume: the whole disk recorded for it, at the disk's own size, identified by the
   * LUN's UID so that the agent zeroes the disk before it serves this volume.
   */
  private NodeLun diskVolume(NodeLun base, IscsiLun lun) {
    return new NodeLun(
        base.lun(),
        base.source(),
        disks.assignments().get(ObjectKeys.of(lun)),
        null,
        null,
        null,
        base.readOnly(),
        base.blockSize(),
        base.serial(),
        base.wwn(),
        null,
        lun.getSpec().backing().pool().name(),
        lun.getMetadata().getUid());
  }

  /** The device path LVM gives the volume's logical volume in {@code volumeGroup}. */
  static String logicalVolumePath(String volumeGroup, String uid) {
    return "/dev/" + volumeGroup + "/" + LV_PREFIX + uid;
  }

  /**
   * The UID, not the name: a LUN deleted and created again under the same name gets a new, empty
   * volume, never the old one's data.
   */
  static String volumePath(String directory, String uid) {
    String base = directory.endsWith("/") ? directory : directory + "/";
    return base + uid + VOLUME_SUFFIX;
  }

  private static boolean inSpec(IscsiNode current, String lunKey) {
    if (current == null || current.getSpec() == null || current.getSpec().targets() == null) {
      return false;
    }
    for (NodeTarget target : current.getSpec().targets()) {
      for (NodeLun lun : Objects.requireNonNullElse(target.luns(), List.<NodeLun>of())) {
        if (lun.pool() != null && lunKey.equals(lun.source())) {
          return true;
        }
      }
    }
    return false;
  }

  static long bytes(Quantity quantity) {
    return Quantity.getAmountInBytes(quantity).longValue();
  }
}
