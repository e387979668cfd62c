package dev.lunar.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.function.Consumer;

/** The status write the target and LUN reconcilers share. */
final class StatusPatch {

  private StatusPatch() {}

  /**
   * Patches the status {@code change} sets, in the reconcile rather than after it, so the caller
   * knows the write succeeded before it records an event. The same write JOSDK makes for {@code
   * UpdateControl.patchStatus}: a JSON patch without optimistic locking (the operator is the only
   * writer of these statuses, and a stale copy must not stall a reconcile on conflicts), whose
   * result goes into JOSDK's cache so the next reconcile sees the new status.
   */
  static <P extends HasMetadata> void write(P object, Context<P> context, Consumer<P> change) {
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
   * As {@link #write}, but a replace under the copy's resourceVersion: it fails with a conflict
   * (and JOSDK retries the reconcile on a fresh copy) when the object changed since the copy was
   * read. For the writes that a stale copy must never make, such as a disk assignment's first
   * record, which must not overwrite a record the copy has not seen.
   */
  static <P extends HasMetadata> void writeLocked(
      P object, Context<P> context, Consumer<P> change) {
    P wanted = context.getClient().getKubernetesSerialization().clone(object);
    change.accept(wanted);
    P updated = context.getClient().resource(wanted).updateStatus();
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(object), updated, object);
  }
}
