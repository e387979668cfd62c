package dev.lunar.operator.reconcile;

import dev.lunar.crds.api.v1alpha1.DiskStatus;
import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.crds.api.v1alpha1.IscsiTargetSpec;
import dev.lunar.operator.plan.NodePlanner;
import dev.lunar.operator.view.ClusterView;
import dev.lunar.operator.view.NodeHealth;
import dev.lunar.operator.view.Triggers;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Turns a change in the {@link ClusterView} into the reconciles it affects, and only those: a LUN
 * change wakes that LUN, its target's other LUNs (a freed LUN number), its target and its node; a
 * node's status wakes the targets and LUNs it serves, and the node itself when its disk inventory
 * changed; a heartbeat wakes them only when the agent comes back (expiry is found by the
 * reconcilers' own timers), so a live agent's renewals every 10 s cost nothing.
 */
final class ChangeRouter implements Triggers {

  private final ClusterView view;
  private final Clock clock;
  private final Consumer<ResourceID> nodes;
  private final Consumer<ResourceID> targets;
  private final Consumer<ResourceID> luns;
  private final Consumer<ResourceID> pools;

  ChangeRouter(
      ClusterView view,
      Clock clock,
      Consumer<ResourceID> nodes,
      Consumer<ResourceID> targets,
      Consumer<ResourceID> luns,
      Consumer<ResourceID> pools) {
    this.view = view;
    this.clock = clock;
    this.nodes = nodes;
    this.targets = targets;
    this.luns = luns;
    this.pools = pools;
  }

  @Override
  public void targetChanged(IscsiTarget before, IscsiTarget after) {
    for (IscsiTarget t : new IscsiTarget[] {before, after}) {
      if (t != null) {
        targets.accept(ResourceID.fromResource(t));
        lunsOf(t.getMetadata().getNamespace(), t.getMetadata().getName());
        node(t.getSpec() == null ? null : t.getSpec().node());
      }
    }
  }

  @Override
  public void lunChanged(IscsiLun before, IscsiLun after) {
    for (IscsiLun l : new IscsiLun[] {before, after}) {
      if (l != null && l.getSpec() != null) {
        String namespace = l.getMetadata().getNamespace();
        luns.accept(ResourceID.fromResource(l));
        lunsOf(namespace, l.getSpec().target());
        targets.accept(new ResourceID(l.getSpec().target(), namespace));
        IscsiTarget target = view.target(namespace, l.getSpec().target());
        if (target != null && target.getSpec() != null) {
          node(target.getSpec().node());
        }
        if (l.getSpec().backing() != null && l.getSpec().backing().pool() != null) {
          // A volume that comes or goes changes its pool's room for the others.
          pool(l.getSpec().backing().pool().name());
        }
      }
    }
  }

  @Override
  public void poolChanged(IscsiPool before, IscsiPool after) {
    for (IscsiPool p : new IscsiPool[] {before, after}) {
      if (p != null && p.getSpec() != null) {
        pool(p.getMetadata().getName());
        node(p.getSpec().node());
      }
    }
  }

  @Override
  public void nodeChanged(IscsiNode before, IscsiNode after) {
    IscsiNode node = after != null ? after : before;
    String name = node.getMetadata().getName();
    // The node's spec depends on its inventory too (DeviceCheck): a disk that appears or becomes
    // safe lets a waiting LUN in.
    if (before == null || after == null || !Objects.equals(disks(before), disks(after))) {
      nodes.accept(new ResourceID(name));
    }
    servedBy(name);
  }

  @Override
  public void secretChanged(Secret before, Secret after) {
    Secret secret = after != null ? after : before;
    String namespace = secret.getMetadata().getNamespace();
    String name = secret.getMetadata().getName();
    String prefix = NodePlanner.credentialsSecretName("");
    if (namespace.equals(view.systemNamespace()) && name.startsWith(prefix)) {
      // Someone edited or removed a node's credential Secret: write it again.
      node(name.substring(prefix.length()));
    }
    for (IscsiTarget t : view.targets()) {
      IscsiTargetSpec spec = t.getSpec();
      if (spec != null
          && spec.chap() != null
          && namespace.equals(t.getMetadata().getNamespace())
          && (name.equals(spec.chap().secretName())
              || name.equals(spec.chap().mutualSecretName()))) {
        targets.accept(ResourceID.fromResource(t));
        node(spec.node());
      }
    }
  }

  @Override
  public void leaseChanged(Lease before, Lease after) {
    Lease lease = after != null ? after : before;
    String prefix = NodeHealth.leaseName("");
    String name = lease.getMetadata().getName();
    if (!name.startsWith(prefix)) {
      return;
    }
    String node = name.substring(prefix.length());
    boolean wasAlive =
        before != null && NodeHealth.of(node, view.node(node), before, clock.instant()).available();
    boolean isAlive =
        after != null && NodeHealth.of(node, view.node(node), after, clock.instant()).available();
    if (wasAlive != isAlive || before == null || after == null) {
      servedBy(node);
    }
  }

  private static List<DiskStatus> disks(IscsiNode node) {
    return node.getStatus() == null ? null : node.getStatus().disks();
  }

  /** The pool, and its volumes and their nodes, whose admission depends on the pool's room. */
  private void pool(String name) {
    pools.accept(new ResourceID(name));
    for (IscsiLun l : view.luns()) {
      if (l.getSpec() != null
          && l.getSpec().backing() != null
          && l.getSpec().backing().pool() != null
          && name.equals(l.getSpec().backing().pool().name())) {
        luns.accept(ResourceID.fromResource(l));
        IscsiTarget target = view.target(l.getMetadata().getNamespace(), l.getSpec().target());
        if (target != null && target.getSpec() != null) {
          node(target.getSpec().node());
        }
      }
    }
  }

  private void node(String name) {
    if (name != null && view.node(name) != null) {
      nodes.accept(new ResourceID(name));
    }
  }

  private void servedBy(String node) {
    for (IscsiPool p : view.pools()) {
      if (p.getSpec() != null && Objects.equals(node, p.getSpec().node())) {
        pools.accept(new ResourceID(p.getMetadata().getName()));
      }
    }
    for (IscsiTarget t : view.targets()) {
      if (t.getSpec() != null && Objects.equals(node, t.getSpec().node())) {
        targets.accept(ResourceID.fromResource(t));
        lunsOf(t.getMetadata().getNamespace(), t.getMetadata().getName());
      }
    }
  }

  private void lunsOf(String namespace, String target) {
    for (IscsiLun l : view.luns()) {
      if (l.getSpec() != null
          && namespace.equals(l.getMetadata().getNamespace())
          && Objects.equals(target, l.getSpec().target())) {
        luns.accept(ResourceID.fromResource(l));
      }
    }
  }
}
