package dev.lunar.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.function.Consumer;

/** The finalizer, timers and status write the target and LUN reconcilers share. */
final class Finalizers {

  /** Held until the export is withdrawn from every agent. */
  static final String WITHDRAW = "iscsi.lunar.dev/withdraw";

  /** How often a pending deletion looks again when no change wakes it. */
  static final Duration RECHECK = Duration.ofSeconds(15);

  private Finalizers() {}

  /**
   * Patches the status {@code change} sets, in the reconcile rather than after it, so the caller
   * knows the write succeeded before it records an event. The same write JOSDK makes for {@code
   * UpdateControl.patchStatus}: a JSON patch without optimistic locking (the operator is the only
   * writer of these statuses, and a stale copy must not stall a reconcile on conflicts), whose
   * result goes into JOSDK's cache so the next reconcile sees the new status.
   */
  static <P extends HasMetadata> void patchStatus(
      P object, Context<P> context, Consumer<P> change) {
    var serialization = context.getClient().getKubernetesSerialization();
    P base = serialization.clone(object);
    base.getMetadata().setResourceVersion(null);
    P wanted = serialization.clone(base);
    change.accept(wanted);
    P updated = context.getClient().resource(base).editStatus(current -> wanted);
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(object), updated, object);
  }

  /**
   * The reconcile's end (its status is already written): looks again right after the node's
   * heartbeat would expire, so a dead agent turns its exports NodeUnavailable on time although
   * nothing changes in the API.
   */
  static <P extends HasMetadata> UpdateControl<P> watchHeartbeat(Placement placement) {
    UpdateControl<P> control = UpdateControl.noUpdate();
    if (placement != null && placement.health().available()) {
      return control.rescheduleAfter(placement.health().validFor().plusSeconds(1));
    }
    return control;
  }
}
