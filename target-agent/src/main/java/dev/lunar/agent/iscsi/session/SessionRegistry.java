package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.target.LiveTarget;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every live session of the daemon: allocates TSIHs (RFC 7143 section 11.12.6, unique and non-zero
 * among live sessions), finds the session a later connection joins, and reinstates a session when
 * an initiator logs in again with the same ISID.
 */
public final class SessionRegistry {

  private final TransferBudget transferBudget = new TransferBudget(TransferBudget.DEFAULT_BYTES);

  /** How many commands each session may have queued or running (the CmdSN window). */
  static final int COMMAND_DEPTH = 128;

  private final Map<Integer, Session> byTsih = new HashMap<>();
  private long nextSessionId = 1;
  private int nextTsih = 1;

  /**
   * Creates a session for a completed leading login. An existing session of the same nexus is
   * closed first: that is session reinstatement.
   */
  synchronized Session create(
      SessionIdentity identity,
      Supplier<LiveTarget> target,
      int firstCmdSn,
      int maxConnections,
      TransferLimits limits) {
    for (Session old : List.copyOf(byTsih.values())) {
      if (old.identity().sameNexus(identity)) {
        byTsih.remove(old.tsih());
        old.close("session reinstated by a new login with the same ISID");
      }
    }
    int tsih = allocateTsih();
    Session session =
        new Session(
            nextSessionId++,
            tsih,
            identity,
            target,
            firstCmdSn,
            COMMAND_DEPTH,
            maxConnections,
            limits);
    byTsih.put(tsih, session);
    return session;
  }

  private int allocateTsih() {
    while (byTsih.containsKey(nextTsih) || nextTsih == 0) {
      nextTsih = (nextTsih + 1) & 0xffff;
    }
    int tsih = nextTsih;
    nextTsih = (nextTsih + 1) & 0xffff;
    return tsih;
  }

  /** The session a non-leading login joins, or {@code null} when there is none to join. */
  synchronized Session find(int tsih, SessionIdentity identity) {
    Session session = byTsih.get(tsih);
    return session != null && session.identity().sameNexus(identity) ? session : null;
  }

  synchronized void remove(Session session) {
    byTsih.remove(session.tsih(), session);
  }

  /** Sessions logged in to one target. */
  public synchronized List<Session> forTarget(int tid) {
    List<Session> result = new ArrayList<>();
    for (Session s : byTsih.values()) {
      if (!s.discovery() && s.identity().tid() == tid) {
        result.add(s);
      }
    }
    result.sort((a, b) -> Long.compare(a.sessionId(), b.sessionId()));
    return result;
  }

  public synchronized Collection<Session> all() {
    return List.copyOf(byTsih.values());
  }

  /** Bytes of command data reserved now across all sessions (write buffers, read results). */
  public long bufferedCommandBytes() {
    return transferBudget.used();
  }

  /** The daemon-wide bound on buffered command data, shared by every session. */
  TransferBudget transferBudget() {
    return transferBudget;
  }
}
