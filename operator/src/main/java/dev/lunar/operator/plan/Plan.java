package dev.lunar.operator.plan;

import java.util.Map;

/**
 * The whole cluster's desired state as the operator computes it from IscsiTargets and IscsiLuns.
 *
 * @param nodes what each node must serve, by node name
 * @param verdicts the planning outcome of each object, by {@link ObjectKeys} key
 */
public record Plan(Map<String, NodeDesired> nodes, Map<String, Verdict> verdicts) {

  public Plan {
    nodes = Map.copyOf(nodes);
    verdicts = Map.copyOf(verdicts);
  }
}
