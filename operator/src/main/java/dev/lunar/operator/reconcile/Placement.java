package dev.lunar.operator.reconcile;

import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import dev.lunar.crds.api.v1alpha1.NodeTargetStatus;
import dev.lunar.crds.api.v1alpha1.NodeTargetStatus.NodeLunStatus;
import dev.lunar.operator.plan.Plan;
import dev.lunar.operator.view.ClusterView;
import dev.lunar.operator.view.NodeHealth;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where one IscsiTarget stands on its node: the entry the plan wants there, whether the agent has
 * applied the IscsiNode spec that holds it, and what the agent reports serving.
 *
 * @param nodeName the node the target names
 * @param health whether that node's agent is alive
 * @param desired the plan's entry for the target, or null when the plan left it out
 * @param written the node's current spec holds the entry (with the same tid)
 * @param applied the agent has applied the node's current spec
 * @param served the agent's report for the target's tid, or null
 * @param portals the node's portals
 */
record Placement(
    String nodeName,
    NodeHealth health,
    NodeTarget desired,
    NodeTarget written,
    boolean applied,
    NodeTargetStatus served,
    List<String> portals) {

  static Placement of(ClusterView view, Plan plan, String nodeName, String targetKey, Instant now) {
    IscsiNode node = view.node(nodeName);
    NodeHealth health = NodeHealth.of(nodeName, node, view.heartbeat(nodeName), now);
    var nodeDesired = plan.nodes().get(nodeName);
    NodeTarget desired =
        nodeDesired == null ? null : bySource(nodeDesired.spec().targets(), targetKey);
    NodeTarget written =
        node == null || node.getSpec() == null
            ? null
            : bySource(node.getSpec().targets(), targetKey);
    if (written != null && desired != null && !Objects.equals(written.tid(), desired.tid())) {
      written = null;
    }
    boolean applied = node != null && applied(node);
    NodeTargetStatus served = null;
    List<String> portals = List.of();
    if (node != null && node.getStatus() != null) {
      portals = Objects.requireNonNullElse(node.getStatus().portals(), List.of());
      if (written != null && node.getStatus().targets() != null) {
        for (NodeTargetStatus t : node.getStatus().targets()) {
          if (Objects.equals(t.tid(), written.tid())) {
            served = t;
          }
        }
      }
    }
    return new Placement(nodeName, health, desired, written, applied, served, portals);
  }

  /** The agent has applied the IscsiNode's current spec. */
  static boolean applied(IscsiNode node) {
    Long observed = node.getStatus() == null ? null : node.getStatus().observedGeneration();
    Long generation = node.getMetadata().getGeneration();
    return observed != null && generation != null && observed >= generation;
  }

  /** The node's current spec holds the LUN that {@code source} names. */
  boolean lunWritten(String source) {
    return written != null && lunBySource(written, source) != null;
  }

  /** The agent's report on a LUN number of this target, or null. */
  NodeLunStatus servedLun(int lun) {
    if (served == null || served.luns() == null) {
      return null;
    }
    for (NodeLunStatus l : served.luns()) {
      if (Objects.equals(l.lun(), lun)) {
        return l;
      }
    }
    return null;
  }

  static NodeTarget bySource(List<NodeTarget> targets, String source) {
    if (targets != null) {
      for (NodeTarget t : targets) {
        if (Objects.equals(source, t.source())) {
          return t;
        }
      }
    }
    return null;
  }

  static NodeLun lunBySource(NodeTarget target, String source) {
    if (target.luns() != null) {
      for (NodeLun l : target.luns()) {
        if (Objects.equals(source, l.source())) {
          return l;
        }
      }
    }
    return null;
  }
}
