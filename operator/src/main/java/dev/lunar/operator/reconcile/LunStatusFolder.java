package dev.lunar.operator.reconcile;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiLunStatus;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTargetStatus.NodeLunStatus;
import dev.lunar.operator.plan.Verdict;
import dev.lunar.operator.reconcile.Conditions.Wanted;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** An IscsiLun's status from the plan's verdict and its target's {@link Placement}; pure. */
final class LunStatusFolder {

  static final String LUN_ERROR = "LunError";

  /** The condition of a LUN that asks for a PersistentVolume. */
  static final String VOLUME_CREATED = "PersistentVolumeCreated";

  /** The reason, and the Warning Event, of a PersistentVolume the API server refused to create. */
  static final String VOLUME_FAILED = "PersistentVolumeFailed";

  /**
   * Where the PersistentVolume a LUN asks for stands.
   *
   * @param requested the LUN asks for one
   * @param name the volume's name once it exists, else null
   * @param failure why the last create failed, else null
   * @param error that failure, for the reconcile to rethrow so that JOSDK retries
   */
  record Volume(boolean requested, String name, String failure, KubernetesClientException error) {
    /** The LUN asks for no PersistentVolume. */
    static final Volume NONE = new Volume(false, null, null, null);

    /** Not created yet: the LUN is not served and sized yet. */
    static final Volume WAITING = new Volume(true, null, null, null);

    static Volume created(String name) {
      return new Volume(true, name, null, null);
    }

    static Volume failed(String failure, KubernetesClientException error) {
      return new Volume(true, null, failure, error);
    }
  }

  private LunStatusFolder() {}

  /**
   * @param placement the placement of the LUN's target, or null when the target does not exist
   * @param volume the PersistentVolume made for the LUN, {@link Volume#NONE} when it asks for none
   */
  static IscsiLunStatus fold(
      IscsiLun lun, Verdict verdict, Placement placement, Volume volume, Instant now) {
    return fold(lun, verdict, placement, volume, null, now);
  }

  /**
   * @param disk the disk the plan gives a disk-pool volume, or null; a disk already recorded in the
   *     status stays whatever the plan says, since the record is what the plan goes by
   */
  static IscsiLunStatus fold(
      IscsiLun lun, Verdict verdict, Placement placement, Volume volume, String disk, Instant now) {
    IscsiLunStatus current = lun.getStatus();
    long generation = Objects.requireNonNullElse(lun.getMetadata().getGeneration(), 0L);
    String key = lun.getMetadata().getNamespace() + "/" + lun.getMetadata().getName();
    String nodeName = placement == null ? null : placement.nodeName();
    Wanted scheduled = TargetStatusFolder.scheduled(verdict, nodeName);
    boolean settled =
        placement != null
            && (placement.applied()
                || TargetStatusFolder.wasReady(current == null ? null : current.conditions()));
    NodeLunStatus served =
        settled && placement.lunWritten(key) ? placement.servedLun(lun.getSpec().lun()) : null;
    Wanted ready = ready(verdict, placement, served);
    NodeLun desired =
        placement == null || placement.desired() == null
            ? null
            : Placement.lunBySource(placement.desired(), key);
    boolean serving = ready.status();
    Wanted[] wanted =
        !volume.requested()
            ? new Wanted[] {ready, scheduled}
            : new Wanted[] {ready, scheduled, volumeCondition(volume)};
    return new IscsiLunStatus(
        Conditions.merge(current == null ? null : current.conditions(), generation, now, wanted),
        generation,
        nodeName,
        serving && served.sizeBytes() != null ? Sizes.quantity(served.sizeBytes()) : null,
        serving ? served.blockSize() : null,
        desired == null ? null : desired.serial(),
        desired == null ? null : desired.wwn(),
        volume.name(),
        current != null && current.disk() != null ? current.disk() : disk);
  }

  private static Wanted volumeCondition(Volume volume) {
    if (volume.name() != null) {
      return new Wanted(VOLUME_CREATED, true, "Created", "PersistentVolume " + volume.name());
    }
    if (volume.failure() != null) {
      return new Wanted(VOLUME_CREATED, false, VOLUME_FAILED, volume.failure());
    }
    return new Wanted(
        VOLUME_CREATED, false, "WaitingForLun", "created once the LUN is served and sized");
  }

  /**
   * Whether {@code after} reports a failed PersistentVolume create that {@code before} did not (or
   * with another message): a Warning Event is news once per failure, not once per retry.
   */
  static boolean volumeFailedAnew(List<Condition> before, IscsiLunStatus after) {
    Condition now = Conditions.find(after.conditions(), VOLUME_CREATED);
    Condition was = Conditions.find(before, VOLUME_CREATED);
    return now != null
        && VOLUME_FAILED.equals(now.getReason())
        && (was == null
            || !VOLUME_FAILED.equals(was.getReason())
            || !Objects.equals(was.getMessage(), now.getMessage()));
  }

  private static Wanted ready(Verdict verdict, Placement p, NodeLunStatus served) {
    if (verdict != null && !verdict.scheduled()) {
      return new Wanted(Conditions.READY, false, verdict.reason(), verdict.message());
    }
    if (p == null) {
      return new Wanted(Conditions.READY, false, TargetStatusFolder.APPLYING, "not planned yet");
    }
    if (!p.health().available()) {
      return new Wanted(
          Conditions.READY, false, TargetStatusFolder.NODE_UNAVAILABLE, p.health().message());
    }
    if (served == null) {
      return new Wanted(
          Conditions.READY,
          false,
          TargetStatusFolder.APPLYING,
          "waiting for the agent on node " + p.nodeName() + " to apply it");
    }
    if (!Boolean.TRUE.equals(served.ready())) {
      String message = served.message();
      return new Wanted(
          Conditions.READY,
          false,
          Conditions.agentReason(served.reason(), message, LUN_ERROR),
          message);
    }
    return new Wanted(
        Conditions.READY,
        true,
        TargetStatusFolder.SERVING,
        "LUN " + served.lun() + " of tid " + p.written().tid() + " on node " + p.nodeName());
  }

  /** Sizes as Kubernetes quantities, in the largest binary unit that divides them. */
  static final class Sizes {
    private static final String[] UNITS = {"", "Ki", "Mi", "Gi", "Ti", "Pi"};

    private Sizes() {}

    static Quantity quantity(long bytes) {
      int unit = 0;
      long amount = bytes;
      while (amount != 0 && amount % 1024 == 0 && unit < UNITS.length - 1) {
        amount /= 1024;
        unit++;
      }
      return new Quantity(Long.toString(amount), UNITS[unit]);
    }
  }
}
