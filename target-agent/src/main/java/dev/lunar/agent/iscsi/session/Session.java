package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.iscsi.pdu.AsyncMessage;
import dev.lunar.agent.scsi.Nexus;
import dev.lunar.agent.target.LiveTarget;
import dev.lunar.agent.target.TargetState.ConnectionState;
import dev.lunar.agent.target.TargetState.SessionState;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One iSCSI session: an I_T nexus with one or more connections (RFC 7143 section 4.2). It owns what
 * is session-wide: the command window, the task table and the negotiated limits. Work for a task
 * runs on the event loop of the connection the task arrived on (connection allegiance).
 */
public final class Session {

  private static final int TARGET_REQUESTS_LOGOUT = 1;
  private static final long ALL_LUNS = 0;

  private final long sessionId;
  private final int tsih;
  private final SessionIdentity identity;
  private final Supplier<LiveTarget> target;
  private final CmdSnWindow window;
  private final Map<Integer, Connection> connections = new ConcurrentHashMap<>();
  private final Map<Integer, ScsiTask> tasks = new ConcurrentHashMap<>();
  private final int maxConnections;
  private final TransferLimits limits;

  Session(
      long sessionId,
      int tsih,
      SessionIdentity identity,
      Supplier<LiveTarget> target,
      int firstCmdSn,
      int commandDepth,
      int maxConnections,
      TransferLimits limits) {
    this.sessionId = sessionId;
    this.tsih = tsih;
    this.identity = identity;
    this.target = target;
    this.window = new CmdSnWindow(firstCmdSn, commandDepth);
    this.maxConnections = maxConnections;
    this.limits = limits;
  }

  public long sessionId() {
    return sessionId;
  }

  public int tsih() {
    return tsih;
  }

  public SessionIdentity identity() {
    return identity;
  }

  public boolean discovery() {
    return identity.targetName() == null;
  }

  /** The live target, or {@code null} for a discovery session or a target that was removed. */
  LiveTarget target() {
    return target == null ? null : target.get();
  }

  Nexus nexus(int relativeTargetPort) {
    return new Nexus(
        identity.initiatorName(), identity.isid(), identity.targetName(), relativeTargetPort);
  }

  CmdSnWindow window() {
    return window;
  }

  Map<Integer, ScsiTask> tasks() {
    return tasks;
  }

  TransferLimits limits() {
    return limits;
  }

  /** Adds a connection; false when the session already has as many as negotiated. */
  synchronized boolean attach(Connection connection) {
    Connection previous = connections.get(connection.cid());
    if (previous == null && connections.size() >= maxConnections) {
      return false;
    }
    connections.put(connection.cid(), connection);
    if (previous != null && previous != connection) {
      previous.close("connection reinstated with the same CID"); // RFC 7143 section 6.3.4
    }
    return true;
  }

  synchronized boolean detach(Connection connection) {
    connections.remove(connection.cid(), connection);
    return connections.isEmpty();
  }

  public Collection<Connection> connections() {
    return List.copyOf(connections.values());
  }

  Connection connection(int cid) {
    return connections.get(cid);
  }

  /**
   * Asks the initiator to log out within {@code seconds} (Async Message, AsyncEvent 1), as a target
   * does before it shuts down.
   */
  public void requestLogout(int seconds) {
    for (Connection connection : connections()) {
      connection.send(
          (s, exp, max) ->
              new AsyncMessage(
                  ALL_LUNS,
                  s,
                  exp,
                  max,
                  TARGET_REQUESTS_LOGOUT,
                  0,
                  0,
                  0,
                  seconds,
                  Unpooled.EMPTY_BUFFER),
          true);
    }
  }

  /** Ends every connection; the registry forgets the session when the last one closes. */
  public void close(String reason) {
    for (Connection connection : connections()) {
      connection.close(reason);
    }
  }

  /** The view tgtadm's show and the node status print. */
  public SessionState state() {
    List<ConnectionState> conns = new ArrayList<>();
    for (Connection c : connections()) {
      conns.add(new ConnectionState(c.cid(), c.remoteAddress()));
    }
    conns.sort((a, b) -> Integer.compare(a.connectionId(), b.connectionId()));
    return new SessionState(
        sessionId, identity.initiatorName(), identity.initiatorAlias(), identity.isid(), conns);
  }

  @Override
  public String toString() {
    return "Session[id=" + sessionId + ", tsih=" + tsih + ", " + identity + "]";
  }
}
