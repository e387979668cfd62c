package dev.lunar.agent.node;

import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.IscsiNodeStatus.NodePoolStatus;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The spec's pools as measured, for {@code status.pools}: one entry per pool, in spec order.
 * Volumes count at their full provisioned size, thin or thick, so a pool never promises more than
 * it has; free is what is left of the capacity, and never more than the filesystem has free.
 */
final class PoolMeasurement {

  /** The pool's directory is not there (and could not be made), or is no directory. */
  static final String DIRECTORY_MISSING = "PoolDirectoryMissing";

  /** The filesystem holding the directory could not be measured. */
  static final String UNREADABLE = "PoolUnreadable";

  /** Byte figures that moved by less than this keep their reported value; see {@link #settle}. */
  static final long SETTLE_BYTES = 1L << 20;

  private PoolMeasurement() {}

  /**
   * Null when the spec has no pool list, as from an operator that predates pools.
   *
   * @param probe measures a directory pool's filesystem
   * @param groups measures a volume group pool
   */
  static List<NodePoolStatus> measure(IscsiNodeSpec spec, SpaceProbe probe, LvmMeasurement groups) {
    if (spec == null || spec.pools() == null) {
      return null;
    }
    List<NodePoolStatus> pools = new ArrayList<>();
    for (NodePool pool : spec.pools()) {
      Collection<NodeLun> volumes = volumes(spec, pool.name());
      if (pool.volumeGroup() != null) {
        long allocated = volumes.stream().mapToLong(PoolMeasurement::provisioned).sum();
        pools.add(groups.measure(pool, allocated, volumes.size()));
      } else if (pool.path() != null) {
        pools.add(measure(pool, volumes, probe));
      }
      // A disk pool has neither: the operator measures it from the node's disk inventory.
    }
    return pools;
  }

  private static NodePoolStatus measure(
      NodePool pool, Collection<NodeLun> volumes, SpaceProbe probe) {
    long allocated = volumes.stream().mapToLong(PoolMeasurement::provisioned).sum();
    Path dir = Path.of(pool.path());
    if (!Files.isDirectory(dir)) {
      String why = Files.exists(dir) ? " is not a directory" : " does not exist";
      return notReady(pool, DIRECTORY_MISSING, pool.path() + why, allocated, volumes.size());
    }
    SpaceProbe.Space space;
    try {
      space = probe.measure(dir);
    } catch (IOException | UncheckedIOException | SecurityException e) {
      String why = "cannot measure the filesystem of " + pool.path() + ": " + e.getMessage();
      return notReady(pool, UNREADABLE, why, allocated, volumes.size());
    }
    long capacity =
        pool.capacityBytes() == null
            ? space.totalBytes()
            : Math.min(pool.capacityBytes(), space.totalBytes());
    long free = Math.max(0, Math.min(capacity - allocated, space.usableBytes()));
    return new NodePoolStatus(
        pool.name(), true, null, null, capacity, allocated, free, volumes.size());
  }

  private static NodePoolStatus notReady(
      NodePool pool, String reason, String message, long allocated, int count) {
    return new NodePoolStatus(pool.name(), false, reason, message, null, allocated, null, count);
  }

  /** The spec's volumes of one pool, once per file or device however many LUNs name it. */
  private static Collection<NodeLun> volumes(IscsiNodeSpec spec, String pool) {
    Map<String, NodeLun> byBacking = new LinkedHashMap<>();
    for (NodeTarget target : Objects.requireNonNullElse(spec.targets(), List.<NodeTarget>of())) {
      for (NodeLun lun : Objects.requireNonNullElse(target.luns(), List.<NodeLun>of())) {
        String backing = lun.file() != null ? lun.file() : lun.device();
        if (pool.equals(lun.pool()) && backing != null) {
          byBacking.putIfAbsent(backing, lun);
        }
      }
    }
    return byBacking.values();
  }

  /** The size the spec gives; for a volume without one, its file's length, as the engine serves. */
  private static long provisioned(NodeLun volume) {
    long size = Objects.requireNonNullElse(volume.sizeBytes(), 0L);
    if (size > 0 || volume.file() == null) {
      return size;
    }
    try {
      return Files.size(Path.of(volume.file()));
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * What to report: {@code fresh}, except that a pool whose byte figures all moved by less than
   * {@link #SETTLE_BYTES} since {@code reported}, with readiness, reason, message and volume count
   * unchanged, keeps its reported entry.
   *
   * <p>The agent writes its status only when it differs from the last one written, so an idle node
   * writes nothing. Free space moves with every block a thin volume fills, so exact figures would
   * cost a status write on nearly every tick while initiators write. Held this way, a figure is
   * never more than 1 MiB off what was measured (the comparison is with what was reported, so slow
   * drift adds up and is written once it reaches 1 MiB), and a change in what is promised (a volume
   * added or removed) changes the count and is written at once. Rounding each figure to a MiB would
   * not do: a value sitting on a rounding boundary would flip on every tick.
   */
  static List<NodePoolStatus> settle(List<NodePoolStatus> reported, List<NodePoolStatus> fresh) {
    if (reported == null || fresh == null || reported.size() != fresh.size()) {
      return fresh;
    }
    List<NodePoolStatus> settled = new ArrayList<>(fresh.size());
    for (int i = 0; i < fresh.size(); i++) {
      NodePoolStatus was = reported.get(i);
      NodePoolStatus now = fresh.get(i);
      settled.add(sameButForNoise(was, now) ? was : now);
    }
    return settled;
  }

  private static boolean sameButForNoise(NodePoolStatus was, NodePoolStatus now) {
    return Objects.equals(was.name(), now.name())
        && Objects.equals(was.ready(), now.ready())
        && Objects.equals(was.reason(), now.reason())
        && Objects.equals(was.message(), now.message())
        && Objects.equals(was.volumeCount(), now.volumeCount())
        && near(was.capacityBytes(), now.capacityBytes())
        && near(was.allocatedBytes(), now.allocatedBytes())
        && near(was.freeBytes(), now.freeBytes());
  }

  private static boolean near(Long was, Long now) {
    if (was == null || now == null) {
      return was == null && now == null;
    }
    return Math.abs(was - now) < SETTLE_BYTES;
  }
}
