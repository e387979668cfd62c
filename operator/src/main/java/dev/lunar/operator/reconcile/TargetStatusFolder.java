package dev.lunar.operator.reconcile;

import dev.lunar.crds.api.v1alpha1.IscsiApi;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.crds.api.v1alpha1.IscsiTargetStatus;
import dev.lunar.crds.api.v1alpha1.IscsiTargetStatus.TargetLunStatus;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTargetStatus.NodeLunStatus;
import dev.lunar.crds.api.v1alpha1.SessionStatus;
import dev.lunar.operator.plan.Verdict;
import dev.lunar.operator.reconcile.Conditions.Wanted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An IscsiTarget's status from the plan's verdict and its {@link Placement}: a pure function, so
 * each reason is a unit test.
 */
final class TargetStatusFolder {

  static final String SERVING = "Serving";
  static final String APPLYING = "Applying";
  static final String NODE_UNAVAILABLE = "NodeUnavailable";
  static final String TARGET_ERROR = "TargetError";

  private TargetStatusFolder() {}

  static IscsiTargetStatus fold(
      IscsiTarget target, Verdict verdict, Placement placement, Instant now) {
    IscsiTargetStatus current = target.getStatus();
    long generation = Objects.requireNonNullElse(target.getMetadata().getGeneration(), 0L);
    Wanted scheduled = scheduled(verdict, placement.nodeName());
    Wanted ready =
        ready(verdict, placement, wasReady(current == null ? null : current.conditions()));
    List<SessionStatus> sessions =
        placement.served() == null || placement.served().sessions() == null
            ? List.of()
            : placement.served().sessions();
    List<TargetLunStatus> luns = luns(placement);
    String iqn =
        placement.desired() != null
            ? placement.desired().iqn()
            : Objects.requireNonNullElse(
                target.getSpec().iqn(),
                IscsiApi.defaultIqn(
                    target.getMetadata().getNamespace(), target.getMetadata().getName()));
    return new IscsiTargetStatus(
        Conditions.merge(
            current == null ? null : current.conditions(), generation, now, ready, scheduled),
        generation,
        placement.nodeName(),
        orNull(placement.portals()),
        iqn,
        orNull(luns),
        luns.size(),
        orNull(sessions),
        sessions.size());
  }

  static Wanted scheduled(Verdict verdict, String node) {
    if (verdict == null) {
      return new Wanted(Conditions.SCHEDULED, false, APPLYING, "not planned yet");
    }
    return new Wanted(
        Conditions.SCHEDULED,
        verdict.scheduled(),
        verdict.reason(),
        verdict.scheduled() ? "in the desired set of node " + node : verdict.message());
  }

  /**
   * Whether the object was Ready before. A spec change elsewhere on the node bumps the IscsiNode's
   * generation; what was served stays served meanwhile, so it must not flap to Applying.
   */
  static boolean wasReady(List<io.fabric8.kubernetes.api.model.Condition> conditions) {
    var ready = Conditions.find(conditions, Conditions.READY);
    return ready != null && "True".equals(ready.getStatus());
  }

  private static Wanted ready(Verdict verdict, Placement p, boolean wasReady) {
    if (verdict != null && !verdict.scheduled()) {
      return new Wanted(Conditions.READY, false, verdict.reason(), verdict.message());
    }
    if (!p.health().available()) {
      return new Wanted(Conditions.READY, false, NODE_UNAVAILABLE, p.health().message());
    }
    if (p.written() == null || p.served() == null || !(p.applied() || wasReady)) {
      return new Wanted(
          Conditions.READY,
          false,
          APPLYING,
          "waiting for the agent on node " + p.nodeName() + " to apply it");
    }
    if (!Boolean.TRUE.equals(p.served().ready())) {
      String message = p.served().message();
      return new Wanted(
          Conditions.READY,
          false,
          Conditions.agentReason(p.served().reason(), message, TARGET_ERROR),
          message);
    }
    return new Wanted(
        Conditions.READY,
        true,
        SERVING,
        "served by node " + p.nodeName() + " as tid " + p.written().tid());
  }

  private static List<TargetLunStatus> luns(Placement p) {
    List<TargetLunStatus> luns = new ArrayList<>();
    if (p.written() == null || p.written().luns() == null) {
      return luns;
    }
    for (NodeLun lun : p.written().luns()) {
      NodeLunStatus served = p.servedLun(lun.lun());
      luns.add(
          new TargetLunStatus(
              lun.lun(),
              nameOf(lun.source()),
              served != null && Boolean.TRUE.equals(served.ready())));
    }
    return luns;
  }

  /**
   * An empty list as absent: the API server drops empty lists from a merge patch, so writing one
   * would make every later comparison differ and rewrite the status forever.
   */
  static <T> List<T> orNull(List<T> list) {
    return list == null || list.isEmpty() ? null : list;
  }

  /** The name part of a {@code namespace/name} key. */
  static String nameOf(String key) {
    return key == null ? null : key.substring(key.indexOf('/') + 1);
  }
}
