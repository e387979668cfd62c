package dev.lunar.operator.reconcile;

import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.crds.api.v1alpha1.IscsiTargetStatus;
import dev.lunar.operator.plan.ObjectKeys;
import dev.lunar.operator.plan.Plan;
import dev.lunar.operator.view.ClusterView;
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

/**
 * Folds the plan's verdict and the node's report into an IscsiTarget's status, and holds its
 * deletion until no agent serves it any more.
 */
@ControllerConfiguration(name = "iscsitarget", finalizerName = Finalizers.WITHDRAW)
public final class TargetReconciler implements Reconciler<IscsiTarget>, Cleaner<IscsiTarget> {

  private final ClusterView view;
  private final EventRecorder events;
  private final Clock clock;
  private final SimpleInboundEventSource<IscsiTarget> wakeUps =
      new SimpleInboundEventSource<>("target-wakeups");

  TargetReconciler(ClusterView view, EventRecorder events, Clock clock) {
    this.view = view;
    this.events = events;
    this.clock = clock;
  }

  SimpleInboundEventSource<IscsiTarget> wakeUps() {
    return wakeUps;
  }

  @Override
  public List<EventSource<?, IscsiTarget>> prepareEventSources(
      EventSourceContext<IscsiTarget> ctx) {
    return List.of(wakeUps);
  }

  @Override
  public UpdateControl<IscsiTarget> reconcile(IscsiTarget target, Context<IscsiTarget> context) {
    Instant now = clock.instant();
    Plan plan = view.plan();
    String key = ObjectKeys.of(target);
    Placement placement = Placement.of(view, plan, target.getSpec().node(), key, now);
    IscsiTargetStatus status =
        TargetStatusFolder.fold(target, plan.verdicts().get(key), placement, now);
    if (!Objects.equals(status, target.getStatus())) {
      events.afterStatusWrite(
          target,
          target.getStatus() == null ? null : target.getStatus().conditions(),
          status.conditions(),
          () -> StatusPatch.write(target, context, t -> t.setStatus(status)));
    }
    return Finalizers.watchHeartbeat(placement);
  }

  @Override
  public DeleteControl cleanup(IscsiTarget target, Context<IscsiTarget> context) {
    if (Withdrawal.complete(view, Withdrawal.target(ObjectKeys.of(target)), clock.instant())) {
      return DeleteControl.defaultDelete();
    }
    // The node's status change wakes us; the timer covers an agent that dies meanwhile.
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(Finalizers.RECHECK);
  }
}
