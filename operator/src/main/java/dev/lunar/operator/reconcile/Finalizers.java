package dev.lunar.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;

/** The finalizer and the timers the target and LUN reconcilers share. */
final class Finalizers {

  /** Held until the export is withdrawn from every agent. */
  static final String WITHDRAW = "iscsi.lunar.dev/withdraw";

  /** How often a pending deletion looks again when no change wakes it. */
  static final Duration RECHECK = Duration.ofSeconds(15);

  private Finalizers() {}

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
