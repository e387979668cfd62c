package dev.lunar.agent.iscsi;

import dev.lunar.agent.engine.Engine;
import dev.lunar.agent.engine.EngineDirectory;
import dev.lunar.agent.iscsi.login.LoginThrottle;
import dev.lunar.agent.iscsi.login.TextParameter;
import dev.lunar.agent.iscsi.session.ConnectionGuard;
import dev.lunar.agent.iscsi.session.ConnectionServices;
import dev.lunar.agent.iscsi.session.SessionRegistry;
import dev.lunar.agent.metrics.AgentMetrics;
import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.agent.scsi.LogicalUnits;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The target in this JVM on a free loopback port, with one in-memory 8 MiB LUN open to all. */
final class InProcessTarget implements AutoCloseable {

  static final String IQN = "iqn.2026-11.dev.lunar.test:target";

  /** What SendTargets lists for this target: its name and its one advertised portal. */
  static final List<TextParameter> SEND_TARGETS_RECORD =
      List.of(
          new TextParameter("TargetName", IQN),
          new TextParameter("TargetAddress", "127.0.0.1:3260,1"));

  final SessionRegistry sessions = new SessionRegistry();
  final Engine engine = new Engine(sessions, LogicalUnits::open);
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final IscsiServer server;

  InProcessTarget(Duration idle, Map<String, String> params) throws InterruptedException {
    this(idle, params, AgentMetrics.disabled());
  }

  InProcessTarget(Duration idle, Map<String, String> params, AgentMetrics metrics)
      throws InterruptedException {
    this(idle, new TargetSetSpec(List.of(target(List.of(), params)), List.of()), metrics);
  }

  /** The target of {@link #IQN} with its LUN, its CHAP users and its params. */
  static TargetSpec target(List<String> incomingUsers, Map<String, String> params) {
    LunSpec lun =
        new LunSpec(1, null, "mem", 8L << 20, 512, false, false, null, null, true, false, 0);
    return new TargetSpec(
        1, IQN, List.of(lun), List.of("ALL"), List.of(), incomingUsers, null, params);
  }

  InProcessTarget(Duration idle, TargetSetSpec spec) throws InterruptedException {
    this(idle, spec, AgentMetrics.disabled());
  }

  InProcessTarget(Duration idle, TargetSetSpec spec, AgentMetrics metrics)
      throws InterruptedException {
    this(idle, spec, metrics, LoginThrottle.systemClock(ConnectionGuard.DEFAULT_LOGIN_DEADLINE));
  }

  /** A target whose logins go through {@code throttle}, which the test can load with failures. */
  InProcessTarget(Duration idle, TargetSetSpec spec, LoginThrottle throttle)
      throws InterruptedException {
    this(idle, spec, AgentMetrics.disabled(), throttle);
  }

  private InProcessTarget(
      Duration idle, TargetSetSpec spec, AgentMetrics metrics, LoginThrottle throttle)
      throws InterruptedException {
    engine.apply(spec);
    ConnectionServices services =
        new ConnectionServices(
            sessions,
            new EngineDirectory(engine),
            engine,
            executor,
            List.of("127.0.0.1:3260,1"),
            new SecureRandom(),
            metrics,
            throttle);
    server = IscsiServer.start(List.of(new InetSocketAddress("127.0.0.1", 0)), services, idle);
  }

  InProcessTarget() throws InterruptedException {
    this(Duration.ofSeconds(30), Map.of());
  }

  InetSocketAddress address() {
    return server.boundAddresses().getFirst();
  }

  RawInitiator initiator() {
    return RawInitiator.connect(address());
  }

  /**
   * An initiator whose socket buffers only {@code receiveBuffer} bytes of what the target sends.
   */
  RawInitiator initiator(int receiveBuffer) {
    return RawInitiator.connect(address(), receiveBuffer);
  }

  IscsiServer server() {
    return server;
  }

  @Override
  public void close() {
    server.close();
    executor.shutdownNow();
    engine.close();
  }
}
