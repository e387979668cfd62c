package dev.lunar.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
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
   * knows the write succeeded before it records an event; JOSDK's cache gets the result, so the
   * next reconcile sees the new status as {@code UpdateControl.patchStatus} would have shown it.
   */
  static <P extends HasMetadata> void patchStatus(
      P object, Context<P> context, Consumer<P> change) {
    PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(
        object,
        context,
        p -> {
          change.accept(p);
          return p;
        });
  }

  /**
   * Looks again right after the node's heartbeat would expire, so a dead agent turns its exports
   * NodeUnavailable on time although nothing changes in the API.
   */
  static <P extends HasMetadata> UpdateControl<P> watchHeartbeat(
      UpdateControl<P> control, Placement placement) {
    if (placement != null && placement.health().available()) {
      return control.rescheduleAfter(placement.health().validFor().plusSeconds(1));
    }
    return control;
  }
}
