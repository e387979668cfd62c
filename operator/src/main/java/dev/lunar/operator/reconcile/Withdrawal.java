package dev.lunar.operator.reconcile;

import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import dev.lunar.operator.view.ClusterView;
import dev.lunar.operator.view.NodeHealth;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * Whether an export is gone from every agent, so its object's finalizer may go: no node's spec
 * holds it any more, and every live agent has applied the spec that dropped it. A node whose agent
 * is down does not hold a deletion hostage, at a price: its spec no longer names the export, but an
 * agent that restarts first restores its last applied set from its state dir (so a restart never
 * interrupts the exports that stay) and serves the deleted export from there until it has read its
 * IscsiNode from the API server and applied the spec without it. If the API server is unreachable
 * then, that lasts until it answers again.
 */
final class Withdrawal {

  private Withdrawal() {}

  static boolean complete(ClusterView view, Predicate<NodeTarget> holds, Instant now) {
    for (IscsiNode node : view.nodes()) {
      if (node.getSpec() != null && node.getSpec().targets() != null) {
        for (NodeTarget target : node.getSpec().targets()) {
          if (holds.test(target)) {
            return false;
          }
        }
      }
      String name = node.getMetadata().getName();
      boolean alive = NodeHealth.of(name, node, view.heartbeat(name), now).available();
      if (alive && !Placement.applied(node)) {
        return false;
      }
    }
    return true;
  }

  static Predicate<NodeTarget> target(String key) {
    return t -> key.equals(t.source());
  }

  static Predicate<NodeTarget> lun(String key) {
    return t -> Placement.lunBySource(t, key) != null;
  }
}
