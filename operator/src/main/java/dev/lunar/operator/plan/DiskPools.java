package dev.lunar.operator.plan;

import dev.lunar.crds.api.v1alpha1.DiskStatus;
import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.crds.api.v1alpha1.IscsiPoolSpec.DiskPool;
import dev.lunar.crds.api.v1alpha1.IscsiPoolStatus.PoolDisk;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Gives each volume of a disk pool a whole disk: the smallest free one at least as large as the
 * volume asks (best fit, so a small volume never takes the disk a large one needs), oldest claim
 * first.
 *
 * <p>The assignment lives in the IscsiLun's {@code status.disk}, written by the operator, and
 * nowhere else decides it: the IscsiLun is the volume, so the record lives exactly as long as the
 * data it points at, survives operator restarts and a deleted or rewritten IscsiNode, and needs no
 * object of its own. Once a disk is recorded it is the volume's whatever the inventory says later
 * (a served disk soon holds the tenant's filesystem, which the inventory rightly calls unsafe), and
 * whatever the pool's selection says now. A fresh pick is not put into the node's spec until it is
 * recorded ({@link Verdict#DISK_ASSIGNED} until then): the agent never zeroes or serves a disk the
 * operator could forget, and a re-plan from a different inventory before the record only changes a
 * pick nobody acted on.
 *
 * <p>A disk joins a pool only when its node's inventory calls it safe, it has a /dev/disk/by-id
 * name (the stable path the LUN is served from; loop devices, for one, have none) and the pool's
 * selection takes it; and it is free only when no volume records it and no LUN of the node exports
 * it as a plain device.
 */
final class DiskPools {

  /**
   * One member disk: the by-id path the pool names it by, its size, and all its by-id paths (a
   * volume may record another of them, or another pool's selection take another).
   */
  private record Disk(String path, long sizeBytes, List<String> aliases) {}

  private final Map<String, IscsiPool> pools;
  private final Map<String, IscsiNode> nodes;
  private final Map<String, Set<String>> exportedByNode;

  /** Pool name by volume (LUN key). */
  private final Map<String, String> poolByVolume = new HashMap<>();

  /** Disk path by volume (LUN key): recorded ones, then this plan's fresh picks. */
  private final Map<String, String> assigned = new HashMap<>();

  /** Volume (LUN key) by disk path, node-qualified. */
  private final Map<String, String> holder = new HashMap<>();

  /** Volumes whose recorded disk an older volume records too. */
  private final Map<String, String> conflicts = new HashMap<>();

  /**
   * @param volumes every disk-pool volume of the plan, any order
   * @param exportedByNode per node, the device paths its plain device LUNs name
   */
  DiskPools(
      Map<String, IscsiPool> pools,
      Map<String, IscsiNode> nodes,
      List<IscsiLun> volumes,
      Map<String, Set<String>> exportedByNode) {
    this.pools = pools;
    this.nodes = nodes;
    this.exportedByNode = exportedByNode;
    List<IscsiLun> recorded = new ArrayList<>();
    for (IscsiLun lun : volumes) {
      poolByVolume.put(ObjectKeys.of(lun), lun.getSpec().backing().pool().name());
      if (recordedDisk(lun) != null) {
        recorded.add(lun);
      }
    }
    recorded.sort(
        Comparator.comparing(
                (IscsiLun l) ->
                    Objects.requireNonNullElse(l.getMetadata().getCreationTimestamp(), ""))
            .thenComparing((IscsiLun l) -> ObjectKeys.of(l)));
    for (IscsiLun lun : recorded) {
      String key = ObjectKeys.of(lun);
      String disk = recordedDisk(lun);
      String node = nodeOf(lun);
      String owner = holder.putIfAbsent(node + "|" + disk, key);
      if (owner == null) {
        assigned.put(key, disk);
      } else {
        conflicts.put(key, owner);
      }
    }
  }

  static boolean isDiskPool(IscsiPool pool) {
    return pool != null && pool.getSpec() != null && pool.getSpec().disks() != null;
  }

  /** The disk recorded for {@code lun}, or null. */
  static String recordedDisk(IscsiLun lun) {
    return lun.getStatus() == null ? null : lun.getStatus().disk();
  }

  /** The disk of each volume: recorded or picked by this plan, by LUN key. */
  Map<String, String> assignments() {
    return Map.copyOf(assigned);
  }

  /**
   * Why {@code lun} gets no disk it may be served from now, or null when its recorded disk stands.
   * Call in the order of the claims, oldest first; the pool is known to exist on {@code node}.
   *
   * @param sizeBytes the size the volume asks for
   */
  Verdict admit(IscsiLun lun, String node, long sizeBytes) {
    String key = ObjectKeys.of(lun);
    String name = lun.getSpec().backing().pool().name();
    if (conflicts.containsKey(key)) {
      return new Verdict(
          Verdict.DISK_CONFLICT,
          "disk "
              + recordedDisk(lun)
              + " is recorded for "
              + conflicts.get(key)
              + " too, an older volume; this one is not served until one of them is deleted");
    }
    if (assigned.containsKey(key)) {
      return null;
    }
    IscsiPool pool = pools.get(name);
    if (pool.getMetadata().getDeletionTimestamp() != null) {
      return new Verdict(Verdict.POOL_FULL, "IscsiPool " + name + " is being deleted");
    }
    IscsiNode current = nodes.get(node);
    if (current == null || current.getStatus() == null || current.getStatus().disks() == null) {
      return new Verdict(
          Verdict.POOL_NOT_READY,
          "IscsiPool " + name + ": the agent of node " + node + " has not reported its disks yet");
    }
    List<Disk> members = members(pool, current);
    List<Disk> free = members.stream().filter(d -> !taken(node, d)).toList();
    Disk best =
        free.stream()
            .filter(d -> d.sizeBytes() >= sizeBytes)
            .min(Comparator.comparingLong(Disk::sizeBytes).thenComparing(Disk::path))
            .orElse(null);
    if (best == null) {
      return new Verdict(
          Verdict.POOL_FULL, noDisk(name, node, members, free, heldDisks(name, node), sizeBytes));
    }
    assigned.put(key, best.path());
    holder.put(node + "|" + best.path(), key);
    return new Verdict(
        Verdict.DISK_ASSIGNED,
        "disk "
            + best.path()
            + " ("
            + best.sizeBytes()
            + " bytes) assigned; recording it on the IscsiLun before node "
            + node
            + " zeroes it");
  }

  /**
   * The pool's disks as its status lists them: every disk a volume records (whether or not the
   * inventory still calls it safe, or still lists it), then every free member, in path order.
   */
  List<PoolDisk> disksOf(IscsiPool pool) {
    String name = pool.getMetadata().getName();
    String node = pool.getSpec().node();
    IscsiNode current = nodes.get(node);
    List<DiskStatus> inventory =
        current == null || current.getStatus() == null || current.getStatus().disks() == null
            ? List.of()
            : current.getStatus().disks();
    List<PoolDisk> result = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    holder.forEach(
        (nodeAndDisk, volume) -> {
          if (nodeAndDisk.startsWith(node + "|") && name.equals(poolOf(volume))) {
            String path = nodeAndDisk.substring(node.length() + 1);
            DiskStatus disk = named(inventory, path);
            result.add(new PoolDisk(path, disk == null ? null : disk.sizeBytes(), volume));
            listed.add(path);
          }
        });
    if (current != null) {
      for (Disk disk : members(pool, current)) {
        if (!taken(node, disk) && listed.add(disk.path())) {
          result.add(new PoolDisk(disk.path(), disk.sizeBytes(), null));
        }
      }
    }
    result.sort(Comparator.comparing(PoolDisk::path));
    return result;
  }

  private String poolOf(String volume) {
    return poolByVolume.get(volume);
  }

  /** The node of a volume's pool, which admission checks is its target's node too. */
  private String nodeOf(IscsiLun lun) {
    IscsiPool pool = pools.get(lun.getSpec().backing().pool().name());
    return pool == null ? "" : pool.getSpec().node();
  }

  /** Whether a volume holds the disk, by any of its names. */
  private boolean taken(String node, Disk disk) {
    return disk.aliases().stream().anyMatch(p -> holder.containsKey(node + "|" + p));
  }

  /** The safe disks of the node that the pool's selection takes, not exported as devices. */
  private List<Disk> members(IscsiPool pool, IscsiNode node) {
    DiskPool selection = pool.getSpec().disks();
    List<PathMatcher> patterns =
        Objects.requireNonNullElse(selection.byIdPatterns(), List.<String>of()).stream()
            .map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p))
            .toList();
    long minSize = selection.minSize() == null ? 0 : PoolCheck.bytes(selection.minSize());
    Set<String> exported = exportedByNode.getOrDefault(node.getMetadata().getName(), Set.of());
    List<Disk> result = new ArrayList<>();
    if (node.getStatus() == null || node.getStatus().disks() == null) {
      return result; // no inventory yet: no disk is known safe
    }
    for (DiskStatus disk : node.getStatus().disks()) {
      List<String> byId = Objects.requireNonNullElse(disk.byIdPaths(), List.of());
      String path = byId.stream().filter(p -> matches(patterns, p)).findFirst().orElse(null);
      if (!Boolean.TRUE.equals(disk.safe())
          || path == null
          || disk.sizeBytes() == null
          || disk.sizeBytes() < minSize
          || (selection.rotational() != null && !selection.rotational().equals(disk.rotational()))
          || exportedAs(disk, exported)) {
        continue;
      }
      result.add(new Disk(path, disk.sizeBytes(), byId));
    }
    return result;
  }

  private static boolean matches(List<PathMatcher> patterns, String path) {
    return patterns.isEmpty() || patterns.stream().anyMatch(m -> m.matches(Path.of(path)));
  }

  private static boolean exportedAs(DiskStatus disk, Set<String> exported) {
    return exported.contains(disk.name())
        || exported.contains("/dev/" + disk.name())
        || Objects.requireNonNullElse(disk.byIdPaths(), List.<String>of()).stream()
            .anyMatch(exported::contains);
  }

  private static DiskStatus named(List<DiskStatus> inventory, String path) {
    return inventory.stream()
        .filter(d -> d.byIdPaths() != null && d.byIdPaths().contains(path))
        .findFirst()
        .orElse(null);
  }

  /**
   * How many disks of the node volumes of pool {@code name} hold. They need not be members any
   * more: a disk holding a tenant's filesystem is no longer safe to the inventory, yet is the
   * pool's.
   */
  private long heldDisks(String name, String node) {
    return holder.entrySet().stream()
        .filter(e -> e.getKey().startsWith(node + "|") && name.equals(poolOf(e.getValue())))
        .count();
  }

  /** What a person needs when no disk fits: how many disks, which are free and how large. */
  private static String noDisk(
      String pool, String node, List<Disk> members, List<Disk> free, long held, long sizeBytes) {
    if (free.isEmpty() && held > 0) {
      return "IscsiPool "
          + pool
          + " has no free disk: its volumes hold "
          + held
          + (held == 1 ? " disk" : " disks")
          + " and no other is free; a disk is free again once its volume is deleted";
    }
    if (members.isEmpty()) {
      return "IscsiPool "
          + pool
          + " has no disk: node "
          + node
          + " reports no safe disk with a /dev/disk/by-id name that its selection takes";
    }
    if (free.isEmpty()) {
      // Every member holds a volume of another pool whose selection takes the same disks.
      return "IscsiPool "
          + pool
          + " has no free disk: its "
          + members.size()
          + " disk(s) hold volumes of other pools";
    }
    return "IscsiPool "
        + pool
        + " has no free disk of at least "
        + sizeBytes
        + " bytes; the largest free disk has "
        + free.stream().mapToLong(Disk::sizeBytes).max().orElse(0)
        + " bytes ("
        + free.size()
        + " free)";
  }
}
