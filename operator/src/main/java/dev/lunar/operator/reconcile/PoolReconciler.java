package dev.lunar.operator.reconcile;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.crds.api.v1alpha1.IscsiPoolStatus;
import dev.lunar.operator.view.ClusterView;
import dev.lunar.operator.view.NodeHealth;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Copies what a pool's node measured into the IscsiPool's status, and holds the pool's deletion
 * while any IscsiLun still has a volume in it: deleting a pool must never delete data.
 */
@ControllerConfiguration(name = "iscsipool", finalizerName = Finalizers.WITHDRAW)
public final class PoolReconciler implements Reconciler<IscsiPool>, Cleaner<IscsiPool> {

  private final ClusterView view;
  private final EventRecorder events;
  private final Clock clock;
  private final Set<String> warnedInUse = ConcurrentHashMap.newKeySet();
  private final SimpleInboundEventSource<IscsiPool> wakeUps =
      new SimpleInboundEventSource<>("pool-wakeups");

  PoolReconciler(ClusterView view, EventRecorder events, Clock clock) {
    this.view = view;
    this.events = events;
    this.clock = clock;
  }

  SimpleInboundEventSource<IscsiPool> wakeUps() {
    return wakeUps;
  }

  @Override
  public List<EventSource<?, IscsiPool>> prepareEventSources(EventSourceContext<IscsiPool> ctx) {
    return List.of(wakeUps);
  }

  @Override
  public UpdateControl<IscsiPool> reconcile(IscsiPool pool, Context<IscsiPool> context) {
    Instant now = clock.instant();
    String node = pool.getSpec().node();
    NodeHealth health = NodeHealth.of(node, view.node(node), view.heartbeat(node), now);
    IscsiPoolStatus status =
        PoolStatusFolder.fold(
            pool,
            view.node(node),
            health,
            view.plan().poolDisks().get(pool.getMetadata().getName()),
            now);
    if (!Objects.equals(status, pool.getStatus())) {
      events.afterStatusWrite(
          pool,
          pool.getStatus() == null ? null : pool.getStatus().conditions(),
          status.conditions(),
          () -> StatusPatch.write(pool, context, p -> p.setStatus(status)));
    }
    UpdateControl<IscsiPool> control = UpdateControl.noUpdate();
    return health.available() ? control.rescheduleAfter(health.validFor().plusSeconds(1)) : control;
  }

  @Override
  public DeleteControl cleanup(IscsiPool pool, Context<IscsiPool> context) {
    long volumes = volumesIn(pool.getMetadata().getName());
    if (volumes == 0) {
      warnedInUse.remove(pool.getMetadata().getUid());
      return DeleteControl.defaultDelete();
    }
    if (warnedInUse.add(pool.getMetadata().getUid())) {
      events.record(
          pool,
          "Warning",
          "PoolInUse",
          "deletion waits for the " + volumes + " IscsiLun(s) with a volume in this pool");
    }
    // Each LUN's deletion wakes us; the timer is a backstop.
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(Finalizers.RECHECK);
  }

  private long volumesIn(String pool) {
    return view.luns().stream()
        .map(IscsiLun::getSpec)
        .filter(s -> s != null && s.backing() != null && s.backing().pool() != null)
        .filter(s -> pool.equals(s.backing().pool().name()))
        .count();
  }
}
