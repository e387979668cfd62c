package dev.lunar.operator.reconcile;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiLunStatus;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.operator.plan.ObjectKeys;
import dev.lunar.operator.plan.Plan;
import dev.lunar.operator.plan.Verdict;
import dev.lunar.operator.reconcile.LunStatusFolder.Volume;
import dev.lunar.operator.view.ClusterView;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds an IscsiLun's status, creates its PersistentVolume once the LUN is served, and holds its
 * deletion until no agent serves it any more (then removes the PersistentVolume).
 */
@ControllerConfiguration(name = "iscsilun", finalizerName = Finalizers.WITHDRAW)
public final class LunReconciler implements Reconciler<IscsiLun>, Cleaner<IscsiLun> {

  private static final Logger log = LoggerFactory.getLogger(LunReconciler.class);

  private final ClusterView view;
  private final KubernetesClient client;
  private final EventRecorder events;
  private final Clock clock;
  private final SimpleInboundEventSource<IscsiLun> wakeUps =
      new SimpleInboundEventSource<>("lun-wakeups");

  LunReconciler(ClusterView view, KubernetesClient client, EventRecorder events, Clock clock) {
    this.view = view;
    this.client = client;
    this.events = events;
    this.clock = clock;
  }

  SimpleInboundEventSource<IscsiLun> wakeUps() {
    return wakeUps;
  }

  @Override
  public List<EventSource<?, IscsiLun>> prepareEventSources(EventSourceContext<IscsiLun> ctx) {
    return List.of(wakeUps);
  }

  @Override
  public UpdateControl<IscsiLun> reconcile(IscsiLun lun, Context<IscsiLun> context) {
    Instant now = clock.instant();
    Plan plan = view.plan();
    String namespace = lun.getMetadata().getNamespace();
    IscsiTarget target = view.target(namespace, lun.getSpec().target());
    Placement placement =
        target == null
            ? null
            : Placement.of(view, plan, target.getSpec().node(), ObjectKeys.of(target), now);
    Verdict verdict = plan.verdicts().get(ObjectKeys.of(lun));
    String disk = plan.disks().get(ObjectKeys.of(lun));
    IscsiLunStatus status = LunStatusFolder.fold(lun, verdict, placement, Volume.NONE, disk, now);
    Volume volume = persistentVolume(lun, target, placement, status);
    if (volume.requested()) {
      status = LunStatusFolder.fold(lun, verdict, placement, volume, disk, now);
    }
    if (!Objects.equals(status, lun.getStatus())) {
      IscsiLunStatus wanted = status;
      List<Condition> before = lun.getStatus() == null ? null : lun.getStatus().conditions();
      events.afterStatusWrite(
          lun,
          before,
          status.conditions(),
          () -> {
            if (recordsDisk(lun, wanted)) {
              StatusPatch.writeLocked(lun, context, l -> l.setStatus(wanted));
            } else {
              StatusPatch.write(lun, context, l -> l.setStatus(wanted));
            }
          });
      if (volume.failure() != null && LunStatusFolder.volumeFailedAnew(before, wanted)) {
        events.record(lun, "Warning", LunStatusFolder.VOLUME_FAILED, volume.failure());
      }
    }
    if (volume.error() != null) {
      throw volume.error(); // JOSDK retries with back-off, as for any failed reconcile
    }
    return Finalizers.watchHeartbeat(placement);
  }

  /** Whether {@code wanted} records a disk the LUN's copy has none of: the assignment's birth. */
  private static boolean recordsDisk(IscsiLun lun, IscsiLunStatus wanted) {
    return wanted.disk() != null && (lun.getStatus() == null || lun.getStatus().disk() == null);
  }

  /**
   * Creates the PersistentVolume once the LUN is served and sized. A create the API server refuses
   * is reported on the status and as an Event, then the reconcile fails so that JOSDK retries it.
   */
  private Volume persistentVolume(
      IscsiLun lun, IscsiTarget target, Placement placement, IscsiLunStatus status) {
    if (lun.getSpec().persistentVolume() == null) {
      return Volume.NONE;
    }
    String name = PersistentVolumes.name(lun);
    if (lun.getStatus() != null && name.equals(lun.getStatus().persistentVolumeName())) {
      return Volume.created(name);
    }
    if (client.persistentVolumes().withName(name).get() != null) {
      return Volume.created(name);
    }
    boolean ready = status.size() != null && placement != null && !placement.portals().isEmpty();
    if (!ready || target == null) {
      return Volume.WAITING;
    }
    PersistentVolume pv =
        PersistentVolumes.build(
            lun, target, placement.portals().getFirst(), placement.written().iqn(), status.size());
    try {
      client.persistentVolumes().resource(pv).create();
    } catch (KubernetesClientException e) {
      log.warn(
          "cannot create PersistentVolume {} for {}: {}", name, ObjectKeys.of(lun), e.getMessage());
      return Volume.failed("cannot create PersistentVolume " + name + ": " + e.getMessage(), e);
    }
    log.info("created PersistentVolume {} for {}", name, ObjectKeys.of(lun));
    events.record(lun, "Normal", "PersistentVolumeCreated", "created PersistentVolume " + name);
    return Volume.created(name);
  }

  @Override
  public DeleteControl cleanup(IscsiLun lun, Context<IscsiLun> context) {
    if (!Withdrawal.complete(view, Withdrawal.lun(ObjectKeys.of(lun)), clock.instant())) {
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(Finalizers.RECHECK);
    }
    if (lun.getSpec().persistentVolume() != null) {
      client.persistentVolumes().withName(PersistentVolumes.name(lun)).delete();
    }
    return DeleteControl.defaultDelete();
  }
}
