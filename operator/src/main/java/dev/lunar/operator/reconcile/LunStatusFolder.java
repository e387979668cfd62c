package dev.lunar.operator.reconcile;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiLunStatus;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTargetStatus.NodeLunStatus;
import dev.lunar.operator.plan.Verdict;
import dev.lunar.operator.reconcile.Conditions.Wanted;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.Objects;

/** An IscsiLun's status from the plan's verdict and its target's {@link Placement}; pure. */
final class LunStatusFolder {

  static final String LUN_ERROR = "LunError";

  private LunStatusFolder() {}

  /**
   * @param placement the placement of the LUN's target, or null when the target does not exist
   * @param pvName the PersistentVolume made for the LUN, or null
   */
  static IscsiLunStatus fold(
      IscsiLun lun, Verdict verdict, Placement placement, String pvName, Instant now) {
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
    return new IscsiLunStatus(
        Conditions.merge(
            current == null ? null : current.conditions(), generation, now, ready, scheduled),
        generation,
        nodeName,
        serving && served.sizeBytes() != null ? Sizes.quantity(served.sizeBytes()) : null,
        serving ? served.blockSize() : null,
        desired == null ? null : desired.serial(),
        desired == null ? null : desired.wwn(),
        pvName);
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
