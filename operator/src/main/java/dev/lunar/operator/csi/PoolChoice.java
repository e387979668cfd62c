package dev.lunar.operator.csi;

import dev.lunar.crds.api.v1alpha1.IscsiPool;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Picks the pool a new volume is carved from: the named one, or among the pools the selector
 * matches (all pools without one) the Ready pool with the most free space, so volumes spread over
 * nodes. A volume fits a single pool or none: free space never adds up across pools, nor across the
 * disks of a disk pool, so what decides is a pool's largest possible volume ({@link
 * #largestVolume}).
 */
final class PoolChoice {

  private PoolChoice() {}

  static IscsiPool choose(List<IscsiPool> pools, VolumeRequest request) {
    if (request.pool() != null) {
      IscsiPool pool =
          pools.stream()
              .filter(p -> request.pool().equals(p.getMetadata().getName()))
              .findFirst()
              .orElseThrow(
                  () -> CsiErrors.invalid("IscsiPool " + request.pool() + " does not exist"));
      if (!ready(pool)) {
        throw CsiErrors.unavailable(
            "IscsiPool " + request.pool() + " is not Ready: " + readyMessage(pool));
      }
      if (largestVolume(pool) < request.sizeBytes()) {
        throw CsiErrors.exhausted(
            "IscsiPool "
                + request.pool()
                + " has room for a volume of "
                + largestVolume(pool)
                + " bytes at most; the volume needs "
                + request.sizeBytes());
      }
      return pool;
    }
    List<IscsiPool> matching =
        pools.stream().filter(p -> matches(p, request.poolSelector())).toList();
    if (matching.isEmpty()) {
      throw CsiErrors.invalid(
          request.poolSelector().isEmpty()
              ? "there is no IscsiPool to carve volumes from; create one"
              : "no IscsiPool carries the labels " + request.poolSelector());
    }
    List<IscsiPool> ready = matching.stream().filter(PoolChoice::ready).toList();
    if (ready.isEmpty()) {
      throw CsiErrors.unavailable(
          "none of the IscsiPools "
              + matching.stream().map(p -> p.getMetadata().getName()).sorted().toList()
              + " is Ready");
    }
    IscsiPool biggest =
        ready.stream().max(Comparator.comparingLong(PoolChoice::largestVolume)).orElseThrow();
    if (largestVolume(biggest) < request.sizeBytes()) {
      throw CsiErrors.exhausted(
          "no IscsiPool has room for "
              + request.sizeBytes()
              + " bytes: the largest possible volume is "
              + largestVolume(biggest)
              + " bytes, in pool "
              + biggest.getMetadata().getName());
    }
    return ready.stream()
        .filter(p -> largestVolume(p) >= request.sizeBytes())
        .max(Comparator.comparingLong(PoolChoice::free))
        .orElseThrow();
  }

  /**
   * What GetCapacity answers for the Ready pools that {@code name} (when given) and {@code
   * selector} choose: the most free space of one of them (a volume fits one pool), and the largest
   * volume one of them can still make, which for a disk pool is its largest free disk.
   */
  record Capacity(long available, long maximumVolume) {}

  static Capacity capacity(List<IscsiPool> pools, String name, Map<String, String> selector) {
    List<IscsiPool> chosen =
        pools.stream()
            .filter(p -> name == null || name.equals(p.getMetadata().getName()))
            .filter(p -> matches(p, selector) && ready(p))
            .toList();
    return new Capacity(
        chosen.stream().mapToLong(PoolChoice::free).max().orElse(0),
        chosen.stream().mapToLong(PoolChoice::largestVolume).max().orElse(0));
  }

  /**
   * The largest volume the pool can still make: {@code maxVolumeBytes}, or its free bytes as
   * reported by an operator from before that field.
   */
  static long largestVolume(IscsiPool pool) {
    if (pool.getStatus() != null && pool.getStatus().maxVolumeBytes() != null) {
      return pool.getStatus().maxVolumeBytes();
    }
    return free(pool);
  }

  static boolean matches(IscsiPool pool, Map<String, String> selector) {
    Map<String, String> labels =
        Objects.requireNonNullElse(pool.getMetadata().getLabels(), Map.of());
    return pool.getMetadata().getDeletionTimestamp() == null
        && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  static boolean ready(IscsiPool pool) {
    Condition ready = readyCondition(pool);
    return ready != null && "True".equals(ready.getStatus());
  }

  static long free(IscsiPool pool) {
    return pool.getStatus() == null || pool.getStatus().freeBytes() == null
        ? 0
        : pool.getStatus().freeBytes();
  }

  private static String readyMessage(IscsiPool pool) {
    Condition ready = readyCondition(pool);
    return ready == null ? "not measured yet" : ready.getReason() + ": " + ready.getMessage();
  }

  private static Condition readyCondition(IscsiPool pool) {
    return pool.getStatus() == null ? null : readyCondition(pool.getStatus().conditions());
  }

  /** The Ready condition among {@code conditions}, or null. */
  static Condition readyCondition(List<Condition> conditions) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
  }
}
