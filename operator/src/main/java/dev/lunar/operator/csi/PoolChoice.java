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
 * nodes. A volume fits a single pool or none: free space never adds up across pools.
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
      if (free(pool) < request.sizeBytes()) {
        throw CsiErrors.exhausted(
            "IscsiPool "
                + request.pool()
                + " has "
                + free(pool)
                + " bytes free; the volume needs "
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
    IscsiPool roomiest =
        ready.stream().max(Comparator.comparingLong(PoolChoice::free)).orElseThrow();
    if (free(roomiest) < request.sizeBytes()) {
      throw CsiErrors.exhausted(
          "no IscsiPool has room for "
              + request.sizeBytes()
              + " bytes: the most free is "
              + free(roomiest)
              + " bytes, in pool "
              + roomiest.getMetadata().getName());
    }
    return roomiest;
  }

  /**
   * The most free space of one Ready pool that {@code name} (when given) and {@code selector}
   * choose: a volume fits one pool, so that is what can be provisioned.
   */
  static long mostFree(List<IscsiPool> pools, String name, Map<String, String> selector) {
    return pools.stream()
        .filter(p -> name == null || name.equals(p.getMetadata().getName()))
        .filter(p -> matches(p, selector) && ready(p))
        .mapToLong(PoolChoice::free)
        .max()
        .orElse(0);
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
