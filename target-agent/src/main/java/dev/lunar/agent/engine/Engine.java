package dev.lunar.agent.engine;

import dev.lunar.agent.iscsi.session.Connection;
import dev.lunar.agent.iscsi.session.Session;
import dev.lunar.agent.iscsi.session.SessionRegistry;
import dev.lunar.agent.iscsi.session.TargetLookup;
import dev.lunar.agent.model.AccountSpec;
import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.agent.scsi.LogicalUnit;
import dev.lunar.agent.scsi.LunContext;
import dev.lunar.agent.target.LiveTarget;
import dev.lunar.agent.target.TargetState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live target set. {@link #apply} diffs the desired spec against what is open: unchanged LUNs
 * keep their open backing store (and their sessions keep running), changed ones are reopened, gone
 * ones are closed after the new set is published, and sessions of removed targets end.
 */
public final class Engine implements TargetEngine, TargetLookup {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  /** Opens a disk; tests swap in their own. */
  @FunctionalInterface
  public interface UnitOpener {
    LogicalUnit open(LunSpec spec, LunContext context) throws IOException;
  }

  private final SessionRegistry sessions;
  private final UnitOpener opener;
  private final java.nio.file.Path stateDir;
  private volatile Map<Integer, LiveTarget> targets = Map.of();

  public Engine(SessionRegistry sessions, UnitOpener opener) {
    this(sessions, opener, null);
  }

  /**
   * @param stateDir where units keep what must survive a restart (persistent reservations with
   *     APTPL, saved mode pages), under {@code tidN/}; {@code null} keeps nothing
   */
  public Engine(SessionRegistry sessions, UnitOpener opener, java.nio.file.Path stateDir) {
    this.sessions = sessions;
    this.opener = opener;
    this.stateDir = stateDir;
  }

  @Override
  public ApplyReport apply(TargetSetSpec desired) {
    return apply(desired, false);
  }

  @Override
  public ApplyReport restore(TargetSetSpec persisted) {
    return apply(persisted, true);
  }

  private synchronized ApplyReport apply(TargetSetSpec desired, boolean restored) {
    List<ApplyReport.Problem> problems = new ArrayList<>();
    Map<String, AccountSpec> accounts = new HashMap<>();
    desired.accounts().forEach(a -> accounts.put(a.user(), a));
    Map<Integer, LiveTarget> next = new LinkedHashMap<>();
    Set<LogicalUnit> kept = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (TargetSpec spec : desired.targets()) {
      LiveTarget old = targets.get(spec.tid());
      if (old != null && !old.iqn().equals(spec.iqn())) {
        old = null; // same tid, another target: nothing carries over
      }
      next.put(spec.tid(), build(spec, old, accounts, kept, problems, restored));
    }
    Map<Integer, LiveTarget> previous = targets;
    targets = Map.copyOf(next);
    retire(previous, next, kept);
    return new ApplyReport(problems);
  }

  private LiveTarget build(
      TargetSpec spec,
      LiveTarget old,
      Map<String, AccountSpec> accounts,
      Set<LogicalUnit> kept,
      List<ApplyReport.Problem> problems,
      boolean restored) {
    int tid = spec.tid();
    LunContext context =
        new LunContext(
            tid,
            spec.iqn(),
            () -> lunNumbers(tid),
            lun -> unitOf(tid, lun),
            stateDir == null ? null : stateDir.resolve("tid" + tid),
            restored);
    TreeMap<Integer, LogicalUnit> units = new TreeMap<>();
    LogicalUnit controller = old == null ? null : old.unit(0);
    units.put(
        0, controller != null ? controller : dev.lunar.agent.scsi.LogicalUnits.controller(context));
    kept.add(units.get(0));
    for (LunSpec lun : spec.luns()) {
      LogicalUnit reused = old == null ? null : reusable(old, lun);
      if (reused != null) {
        units.put(lun.lun(), reused);
        kept.add(reused);
        continue;
      }
      try {
        units.put(lun.lun(), opener.open(lun, context));
      } catch (IOException | RuntimeException e) {
        problems.add(new ApplyReport.Problem(tid, lun.lun(), e.getMessage()));
        log.warn(
            "target {} LUN {}: cannot open {}: {}",
            tid,
            lun.lun(),
            lun.backingStore(),
            e.getMessage());
      }
    }
    Map<String, String> incoming = new HashMap<>();
    for (String user : spec.incomingUsers()) {
      AccountSpec account = accounts.get(user);
      if (account != null) {
        incoming.put(user, account.password());
      }
    }
    AccountSpec outgoing = spec.outgoingUser() == null ? null : accounts.get(spec.outgoingUser());
    return new LiveTarget(
        spec,
        units,
        incoming,
        outgoing == null ? null : outgoing.user(),
        outgoing == null ? null : outgoing.password());
  }

  /** The open unit for a LUN whose spec did not change, or null. */
  private static LogicalUnit reusable(LiveTarget old, LunSpec lun) {
    for (LunSpec before : old.spec().luns()) {
      if (before.lun() == lun.lun() && before.equals(lun)) {
        return old.unit(lun.lun());
      }
    }
    return null;
  }

  private void retire(
      Map<Integer, LiveTarget> previous, Map<Integer, LiveTarget> next, Set<LogicalUnit> kept) {
    for (LiveTarget old : previous.values()) {
      LiveTarget now = next.get(old.tid());
      if (now == null || !now.iqn().equals(old.iqn())) {
        for (Session session : sessions.forTarget(old.tid())) {
          session.close("target " + old.iqn() + " removed");
        }
      }
      for (LogicalUnit unit : old.units()) {
        if (unit != null && !kept.contains(unit)) {
          unit.close();
        }
      }
    }
  }

  private LogicalUnit unitOf(int tid, int lun) {
    LiveTarget target = targets.get(tid);
    return target == null ? null : target.unit(lun);
  }

  private int[] lunNumbers(int tid) {
    LiveTarget target = targets.get(tid);
    return target == null ? new int[] {0} : target.lunNumbers();
  }

  @Override
  public LiveTarget target(int tid) {
    return targets.get(tid);
  }

  /** Every live target, by tid. */
  public Collection<LiveTarget> targets() {
    return targets.values();
  }

  @Override
  public List<TargetState> state() {
    List<TargetState> result = new ArrayList<>();
    for (LiveTarget target : new TreeMap<>(targets).values()) {
      List<TargetState.SessionState> live = new ArrayList<>();
      for (Session session : sessions.forTarget(target.tid())) {
        live.add(session.state());
      }
      List<TargetState.LunState> luns = new ArrayList<>();
      for (LogicalUnit unit : target.units()) {
        luns.add(new TargetState.LunState(unit.lun(), unit.sizeBytes(), unit.blockSize(), true));
      }
      result.add(new TargetState(target.tid(), target.iqn(), live, luns));
    }
    return result;
  }

  @Override
  public boolean closeSession(int tid, long sessionId) {
    for (Session session : sessions.forTarget(tid)) {
      if (session.sessionId() == sessionId) {
        session.close("closed by tgtadm");
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean closeConnection(int tid, long sessionId, int connectionId) {
    for (Session session : sessions.forTarget(tid)) {
      if (session.sessionId() == sessionId) {
        for (Connection connection : session.connections()) {
          if (connection.cid() == connectionId) {
            connection.close("closed by tgtadm");
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Closes every unit: the daemon is stopping. */
  public synchronized void close() {
    for (LiveTarget target : targets.values()) {
      for (LogicalUnit unit : target.units()) {
        unit.close();
      }
    }
    targets = Map.of();
  }
}
