package dev.lunar.agent.daemon;

import dev.lunar.agent.engine.ApplyReport;
import dev.lunar.agent.engine.Engine;
import dev.lunar.agent.engine.TargetEngine;
import dev.lunar.agent.iscsi.session.Session;
import dev.lunar.agent.iscsi.session.SessionRegistry;
import dev.lunar.agent.metrics.AgentMetrics;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.scsi.LogicalUnit;
import dev.lunar.agent.target.LiveTarget;
import dev.lunar.agent.target.TargetState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The engine as the control channel sees it, keeping the meters in step with the configuration:
 * after each apply every live target gets its session and connection gauges and every LUN its I/O
 * meters, and the meters of removed targets and LUNs leave the registry.
 */
final class MeteredEngine implements TargetEngine {

  private final Engine engine;
  private final SessionRegistry sessions;
  private final AgentMetrics metrics;

  MeteredEngine(Engine engine, SessionRegistry sessions, AgentMetrics metrics) {
    this.engine = engine;
    this.sessions = sessions;
    this.metrics = metrics;
  }

  @Override
  public synchronized ApplyReport apply(TargetSetSpec desired) {
    return track(engine.apply(desired));
  }

  @Override
  public synchronized ApplyReport restore(TargetSetSpec persisted) {
    return track(engine.restore(persisted));
  }

  private ApplyReport track(ApplyReport report) {
    Map<String, Set<Integer>> live = new HashMap<>();
    for (LiveTarget target : engine.targets()) {
      live.put(
          target.iqn(),
          StreamSupport.stream(target.units().spliterator(), false)
              .map(LogicalUnit::lun)
              .collect(Collectors.toSet()));
      String iqn = target.iqn();
      // Series exist from the start, so rate() and absent() work before the first command.
      live.get(iqn).forEach(lun -> metrics.scsi().track(iqn, lun));
      metrics
          .iscsi()
          .trackTarget(iqn, () -> sum(iqn, s -> 1), () -> sum(iqn, s -> s.connections().size()));
    }
    metrics.retain(live);
    return report;
  }

  /**
   * Adds {@code count} over the logged-in sessions of one target. By name, not tid: a target
   * re-created under another tid keeps its series.
   */
  private int sum(String iqn, ToIntFunction<Session> count) {
    int total = 0;
    for (Session session : sessions.all()) {
      if (!session.discovery() && iqn.equals(session.identity().targetName())) {
        total += count.applyAsInt(session);
      }
    }
    return total;
  }

  @Override
  public List<TargetState> state() {
    return engine.state();
  }

  @Override
  public boolean closeSession(int tid, long sessionId) {
    return engine.closeSession(tid, sessionId);
  }

  @Override
  public boolean closeConnection(int tid, long sessionId, int connectionId) {
    return engine.closeConnection(tid, sessionId, connectionId);
  }
}
