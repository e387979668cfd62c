package dev.lunar.operator.reconcile;

import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiNodeStatus.NodePoolStatus;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.crds.api.v1alpha1.IscsiPoolSpec;
import dev.lunar.crds.api.v1alpha1.IscsiPoolStatus;
import dev.lunar.crds.api.v1alpha1.IscsiPoolStatus.PoolDisk;
import dev.lunar.operator.reconcile.Conditions.Wanted;
import dev.lunar.operator.view.NodeHealth;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An IscsiPool's status from what its node's agent measured; pure. The figures stay as last
 * measured while the agent is away (the space did not go anywhere), but the pool is not Ready then:
 * no new volume can be created on a node nobody serves.
 */
final class PoolStatusFolder {

  static final String MEASURED = "Measured";
  static final String NODE_NOT_FOUND = "NodeNotFound";
  static final String NOT_MEASURED = "NotMeasured";
  static final String AGENT_UNAVAILABLE = "AgentUnavailable";

  private static final String[] UNITS = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

  private PoolStatusFolder() {}

  static IscsiPoolStatus fold(IscsiPool pool, IscsiNode node, NodeHealth health, Instant now) {
    return fold(pool, node, health, null, now);
  }

  /**
   * @param disks for a disk pool, its disks as the plan sees them ({@link
   *     dev.lunar.operator.plan.Plan#poolDisks}); ignored for a directory pool
   */
  static IscsiPoolStatus fold(
      IscsiPool pool, IscsiNode node, NodeHealth health, List<PoolDisk> disks, Instant now) {
    if (pool.getSpec().disks() != null) {
      return DiskPoolStatus.fold(pool, node, health, disks, now);
    }
    String nodeName = pool.getSpec().node();
    NodePoolStatus measured = measured(pool, node);
    Wanted ready;
    if (node == null) {
      ready = nodeNotFound(nodeName);
    } else if (measured == null) {
      ready =
          new Wanted(
              Conditions.READY,
              false,
              NOT_MEASURED,
              "the agent of node " + nodeName + " has not measured the pool yet");
    } else if (!Boolean.TRUE.equals(measured.ready())) {
      ready =
          new Wanted(
              Conditions.READY,
              false,
              Objects.requireNonNullElse(measured.reason(), NOT_MEASURED),
              Objects.requireNonNullElse(measured.message(), "the agent cannot use the pool"));
    } else if (health != null && !health.available()) {
      ready = new Wanted(Conditions.READY, false, AGENT_UNAVAILABLE, health.message());
    } else {
      ready =
          new Wanted(
              Conditions.READY,
              true,
              MEASURED,
              "measured by the agent of node " + nodeName + " " + where(pool.getSpec()));
    }
    long generation = generation(pool);
    List<io.fabric8.kubernetes.api.model.Condition> conditions = conditions(pool, now, ready);
    if (measured == null || measured.capacityBytes() == null) {
      return unmeasured(conditions, generation);
    }
    return new IscsiPoolStatus(
        conditions,
        generation,
        measured.capacityBytes(),
        measured.allocatedBytes(),
        measured.freeBytes(),
        measured.freeBytes(),
        quantity(measured.capacityBytes()),
        quantity(measured.freeBytes()),
        measured.volumeCount(),
        null);
  }

  /** Ready false, whatever the pool's kind: its node has no agent. */
  static Wanted nodeNotFound(String nodeName) {
    return new Wanted(
        Conditions.READY,
        false,
        NODE_NOT_FOUND,
        "no Lunar agent runs on node " + nodeName + " (no IscsiNode " + nodeName + ")");
  }

  static long generation(IscsiPool pool) {
    return Objects.requireNonNullElse(pool.getMetadata().getGeneration(), 0L);
  }

  /** The pool's conditions with {@code ready} merged in, for its current generation. */
  static List<io.fabric8.kubernetes.api.model.Condition> conditions(
      IscsiPool pool, Instant now, Wanted ready) {
    return Conditions.merge(
        pool.getStatus() == null ? null : pool.getStatus().conditions(),
        generation(pool),
        now,
        ready);
  }

  /** A status without figures: nothing measured (or inventoried) yet. */
  static IscsiPoolStatus unmeasured(
      List<io.fabric8.kubernetes.api.model.Condition> conditions, long generation) {
    return new IscsiPoolStatus(
        conditions, generation, null, null, null, null, null, null, null, null);
  }

  /** Where the pool's space is, for the Ready message. */
  static String where(IscsiPoolSpec spec) {
    if (spec.directory() != null) {
      return "at " + spec.directory().path();
    }
    if (spec.volumeGroup() != null) {
      String group = spec.volumeGroup().name();
      String thin = spec.volumeGroup().thinPool();
      return "in volume group " + group + (thin == null ? "" : ", thin pool " + thin);
    }
    return "(a kind of pool this operator does not know)";
  }

  private static NodePoolStatus measured(IscsiPool pool, IscsiNode node) {
    if (node == null || node.getStatus() == null || node.getStatus().pools() == null) {
      return null;
    }
    String name = pool.getMetadata().getName();
    return node.getStatus().pools().stream()
        .filter(p -> name.equals(p.name()))
        .findFirst()
        .orElse(null);
  }

  /** Bytes for people: the largest binary unit, one decimal ("9.8Gi"), as kubectl prints them. */
  static Quantity quantity(Long bytes) {
    if (bytes == null) {
      return null;
    }
    double value = bytes;
    String unit = "";
    for (String next : UNITS) {
      if (value < 1024) {
        break;
      }
      value /= 1024;
      unit = next;
    }
    String amount =
        unit.isEmpty() ? Long.toString(bytes) : String.format(Locale.ROOT, "%.1f", value);
    return new Quantity(
        amount.endsWith(".0") ? amount.substring(0, amount.length() - 2) : amount, unit);
  }
}
