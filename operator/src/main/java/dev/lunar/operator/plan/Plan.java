package dev.lunar.operator.plan;

import dev.lunar.crds.api.v1alpha1.IscsiPoolStatus.PoolDisk;
import java.util.List;
import java.util.Map;

/**
 * The whole cluster's desired state as the operator computes it from IscsiTargets and IscsiLuns.
 *
 * @param nodes what each node must serve, by node name
 * @param verdicts the planning outcome of each object, by {@link ObjectKeys} key
 * @param disks the disk of each disk-pool volume, recorded or just picked, by {@link ObjectKeys}
 *     key of its IscsiLun
 * @param poolDisks the disks of each disk pool, by pool name
 */
public record Plan(
    Map<String, NodeDesired> nodes,
    Map<String, Verdict> verdicts,
    Map<String, String> disks,
    Map<String, List<PoolDisk>> poolDisks) {

  public Plan {
    nodes = Map.copyOf(nodes);
    verdicts = Map.copyOf(verdicts);
    disks = Map.copyOf(disks);
    poolDisks = Map.copyOf(poolDisks);
  }
}
