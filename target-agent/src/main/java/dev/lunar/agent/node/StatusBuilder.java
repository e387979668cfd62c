package dev.lunar.agent.node;

import dev.lunar.agent.engine.ApplyReport;
import dev.lunar.agent.node.inventory.BlockDevice;
import dev.lunar.agent.target.TargetState;
import dev.lunar.crds.api.v1alpha1.DiskStatus;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeStatus;
import dev.lunar.crds.api.v1alpha1.IscsiNodeStatus.NodePoolStatus;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import dev.lunar.crds.api.v1alpha1.NodeTargetStatus;
import dev.lunar.crds.api.v1alpha1.NodeTargetStatus.NodeLunStatus;
import dev.lunar.crds.api.v1alpha1.SessionStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the IscsiNode status from what the agent actually serves. Pure, and deliberately free of
 * timestamps that change on their own (the heartbeat lives in a Lease), so an idle node produces
 * the same status again and the agent writes nothing.
 */
public final class StatusBuilder {

  private StatusBuilder() {}

  /** What one apply produced; kept until the next spec arrives. */
  public record Applied(
      long generation, IscsiNodeSpec spec, DesiredSet desired, ApplyReport report, String since) {}

  /**
   * @param pools the spec's pools as measured and settled ({@link PoolMeasurement}), or null when
   *     the spec has no pool list
   */
  public static IscsiNodeStatus build(
      String agentVersion,
      List<String> portals,
      List<BlockDevice> disks,
      Applied applied,
      List<TargetState> live,
      Map<String, Instant> sessionStarts,
      Condition previousReady,
      List<NodePoolStatus> pools) {
    List<NodeTargetStatus> targets = new ArrayList<>();
    boolean allReady = true;
    List<NodeTarget> wanted =
        applied == null || applied.spec().targets() == null ? List.of() : applied.spec().targets();
    for (NodeTarget target : wanted) {
      NodeTargetStatus status = targetStatus(target, applied, live, sessionStarts);
      allReady &= Boolean.TRUE.equals(status.ready());
      targets.add(status);
    }
    Condition ready = readyCondition(applied, allReady, previousReady);
    return new IscsiNodeStatus(
        List.of(ready),
        applied == null ? null : applied.generation(),
        agentVersion,
        portals,
        disks.stream().map(StatusBuilder::diskStatus).toList(),
        targets,
        targets.size(),
        pools == null ? null : List.copyOf(pools));
  }

  private static NodeTargetStatus targetStatus(
      NodeTarget target, Applied applied, List<TargetState> live, Map<String, Instant> starts) {
    TargetState state = live.stream().filter(t -> t.tid() == target.tid()).findFirst().orElse(null);
    ApplyReport.Problem targetProblem = applied.report().problemFor(target.tid(), -1);
    List<NodeLunStatus> luns = new ArrayList<>();
    boolean ready = state != null && targetProblem == null;
    for (NodeLun lun : Objects.requireNonNullElse(target.luns(), List.<NodeLun>of())) {
      Refusal refused = applied.desired().refused().get(DesiredSet.key(target.tid(), lun.lun()));
      ApplyReport.Problem problem = applied.report().problemFor(target.tid(), lun.lun());
      TargetState.LunState lunState =
          state == null
              ? null
              : state.luns().stream().filter(l -> l.lun() == lun.lun()).findFirst().orElse(null);
      String message =
          refused != null ? refused.message() : problem != null ? problem.message() : null;
      boolean lunReady = message == null && lunState != null;
      ready &= lunReady;
      luns.add(
          new NodeLunStatus(
              lun.lun(),
              lunReady,
              refused == null ? null : refused.reason(),
              message,
              lunState == null ? null : lunState.sizeBytes(),
              lunState == null ? null : lunState.blockSize()));
    }
    List<SessionStatus> sessions = new ArrayList<>();
    if (state != null) {
      for (TargetState.SessionState s : state.sessions()) {
        Instant since = starts.get(target.tid() + "/" + s.sessionId());
        sessions.add(
            new SessionStatus(
                s.initiatorName(),
                s.connections().isEmpty() ? null : s.connections().getFirst().remoteAddress(),
                s.connections().size(),
                since == null ? null : since.toString()));
      }
    }
    return new NodeTargetStatus(
        target.tid(),
        target.iqn(),
        ready,
        null, // the engine's problems carry no reason: the operator says TargetError
        targetProblem == null ? null : targetProblem.message(),
        luns,
        sessions);
  }

  /**
   * Ready=True when everything the spec asks for is served; the transition time only moves on
   * change.
   */
  static Condition readyCondition(Applied applied, boolean allReady, Condition previous) {
    String status = applied != null && allReady ? "True" : "False";
    String reason = applied == null ? "NotApplied" : allReady ? "Applied" : "ApplyIncomplete";
    String message =
        applied == null
            ? "no spec applied yet"
            : allReady ? "every target and LUN is served" : "some targets or LUNs are not served";
    String since =
        previous != null && status.equals(previous.getStatus())
            ? previous.getLastTransitionTime()
            : applied == null ? Instant.now().toString() : applied.since();
    return new ConditionBuilder()
        .withType("Ready")
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(applied == null ? null : applied.generation())
        .withLastTransitionTime(since)
        .build();
  }

  private static DiskStatus diskStatus(BlockDevice d) {
    boolean member =
        d.signature() != null
            && (d.signature().equals("linux_raid_member") || d.signature().equals("LVM2_member"));
    return new DiskStatus(
        d.name(),
        d.byIdPaths(),
        d.sizeBytes(),
        d.logicalBlockSize(),
        d.physicalBlockSize(),
        d.rotational(),
        d.model(),
        d.serial(),
        d.wwn(),
        d.mounted(),
        d.partitioned(),
        d.signature(),
        member,
        d.backsRoot(),
        d.safe(),
        d.reason());
  }
}
