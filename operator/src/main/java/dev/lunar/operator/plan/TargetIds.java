package dev.lunar.operator.plan;

import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Target ids on a node: a target keeps the tid it already has in the node's spec (initiators and
 * tgtadm users see tids), and a new one takes the lowest free id.
 */
final class TargetIds {

  private TargetIds() {}

  static List<NodeTarget> assign(List<NodeTarget> targets, IscsiNode current) {
    Map<String, Integer> existing = new HashMap<>();
    if (current != null && current.getSpec() != null && current.getSpec().targets() != null) {
      for (NodeTarget t : current.getSpec().targets()) {
        if (t.source() != null && t.tid() != null) {
          existing.put(t.source(), t.tid());
        }
      }
    }
    Set<Integer> used = new HashSet<>();
    for (NodeTarget t : targets) {
      Integer tid = existing.get(t.source());
      if (tid != null) {
        used.add(tid);
      }
    }
    List<NodeTarget> result = new ArrayList<>();
    int next = 1;
    for (NodeTarget t : targets) {
      Integer tid = existing.get(t.source());
      if (tid == null) {
        while (used.contains(next)) {
          next++;
        }
        tid = next;
        used.add(tid);
      }
      result.add(withTid(t, tid));
    }
    result.sort((a, b) -> Integer.compare(a.tid(), b.tid()));
    return result;
  }

  private static NodeTarget withTid(NodeTarget t, int tid) {
    return new NodeTarget(
        tid,
        t.iqn(),
        t.source(),
        t.port(),
        t.luns(),
        t.initiatorNames(),
        t.initiatorAddresses(),
        t.chap(),
        t.mutualChap(),
        t.params());
  }
}
