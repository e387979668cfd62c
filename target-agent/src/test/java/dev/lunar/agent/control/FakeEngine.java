package dev.lunar.agent.control;

import dev.lunar.agent.engine.ApplyReport;
import dev.lunar.agent.engine.TargetEngine;
import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.agent.target.TargetState;
import dev.lunar.agent.target.TargetState.ConnectionState;
import dev.lunar.agent.target.TargetState.LunState;
import dev.lunar.agent.target.TargetState.SessionState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An engine that keeps what it was given: backing stores listed in {@link #sizes} exist with that
 * size, any other path fails to open; sessions are added by the test.
 */
public final class FakeEngine implements TargetEngine {

  public final Map<String, Long> sizes = new HashMap<>();
  final Map<Integer, List<SessionState>> sessions = new HashMap<>();
  final List<TargetSetSpec> applied = new ArrayList<>();
  TargetSetSpec live = TargetSetSpec.empty();

  @Override
  public ApplyReport apply(TargetSetSpec desired) {
    applied.add(desired);
    List<ApplyReport.Problem> problems = new ArrayList<>();
    List<TargetSpec> up = new ArrayList<>();
    for (TargetSpec target : desired.targets()) {
      List<LunSpec> luns = new ArrayList<>();
      for (LunSpec lun : target.luns()) {
        if (lun.backingStore() != null
            && lun.bsType().equals("rdwr")
            && !sizes.containsKey(lun.backingStore())) {
          problems.add(
              new ApplyReport.Problem(
                  target.tid(), lun.lun(), "cannot open " + lun.backingStore()));
        } else {
          luns.add(lun);
        }
      }
      up.add(target.withLuns(luns));
    }
    sessions.keySet().removeIf(tid -> desired.target(tid) == null);
    live = new TargetSetSpec(up, desired.accounts());
    return new ApplyReport(problems);
  }

  @Override
  public List<TargetState> state() {
    List<TargetState> states = new ArrayList<>();
    for (TargetSpec target : live.targets()) {
      List<LunState> luns = new ArrayList<>();
      luns.add(new LunState(0, 0, 1, true));
      for (LunSpec lun : target.luns()) {
        long size = lun.backingStore() == null ? 0 : sizes.getOrDefault(lun.backingStore(), 0L);
        luns.add(new LunState(lun.lun(), size, lun.blockSize(), lun.online()));
      }
      states.add(
          new TargetState(
              target.tid(), target.iqn(), sessions.getOrDefault(target.tid(), List.of()), luns));
    }
    return states;
  }

  public void addSession(int tid, long sid, String initiator, String address) {
    sessions
        .computeIfAbsent(tid, t -> new ArrayList<>())
        .add(new SessionState(sid, initiator, null, sid, List.of(new ConnectionState(0, address))));
  }

  @Override
  public boolean closeSession(int tid, long sessionId) {
    List<SessionState> list = sessions.get(tid);
    return list != null && list.removeIf(s -> s.sessionId() == sessionId);
  }

  @Override
  public boolean closeConnection(int tid, long sessionId, int connectionId) {
    List<SessionState> list = sessions.get(tid);
    return list != null
        && list.removeIf(
            s ->
                s.sessionId() == sessionId
                    && s.connections().stream().anyMatch(c -> c.connectionId() == connectionId));
  }
}
