package dev.lunar.agent.daemon;

import dev.lunar.agent.control.ConfigException;
import dev.lunar.agent.control.ControlServer;
import dev.lunar.agent.control.ControlService;
import dev.lunar.agent.control.StateStore;
import dev.lunar.agent.control.TgtdOptions;
import dev.lunar.agent.control.TgtdOptions.HostPort;
import dev.lunar.agent.control.YamlConfig;
import dev.lunar.agent.engine.Engine;
import dev.lunar.agent.engine.EngineDirectory;
import dev.lunar.agent.iscsi.IscsiServer;
import dev.lunar.agent.iscsi.session.ConnectionServices;
import dev.lunar.agent.iscsi.session.SessionRegistry;
import dev.lunar.agent.metrics.AgentMetrics;
import dev.lunar.agent.metrics.MetricsServer;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.scsi.LogicalUnits;
import dev.lunar.agent.tgtadm.ControlSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone daemon: the engine, its configuration (state dir or YAML file), the tgtadm control
 * channel and the iSCSI portals, started in that order and stopped in reverse.
 */
public final class TgtdDaemon implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TgtdDaemon.class);

  /** Every portal is advertised in one portal group. */
  private static final int PORTAL_GROUP_TAG = 1;

  /**
   * The longest a signalled shutdown may take: logout wait (3 s), event loops (2 s), {@link
   * #DRAIN_BOUND} and the store flushes fit well inside it.
   */
  static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(10);

  /** How long commands already running get to finish once the connections are closed. */
  static final Duration DRAIN_BOUND = Duration.ofSeconds(3);

  /** Opts in to an {@code initiator} tag on login counters (unbounded, so off by default). */
  static final String PER_INITIATOR_ENV = "LUNAR_METRICS_PER_INITIATOR";

  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Engine engine;
  private final ExecutorService commandExecutor;
  private final AgentMetrics metrics;
  private volatile boolean ready;
  private MetricsServer metricsServer;
  private ControlServer control;
  private ControlService service;
  private StateStore store;
  private IscsiServer iscsi;

  private TgtdDaemon(Engine engine, ExecutorService commandExecutor, AgentMetrics metrics) {
    this.engine = engine;
    this.commandExecutor = commandExecutor;
    this.metrics = metrics;
  }

  /**
   * Starts everything. The configuration is restored before the portals open, so an initiator that
   * reconnects after a restart finds its target already there.
   */
  public static TgtdDaemon start(TgtdOptions options)
      throws IOException, ConfigException, InterruptedException {
    return start(options, ControlSocket.defaultDirectory());
  }

  /** As {@link #start(TgtdOptions)}, with the control socket in {@code controlDirectory}. */
  public static TgtdDaemon start(TgtdOptions options, Path controlDirectory)
      throws IOException, ConfigException, InterruptedException {
    SessionRegistry sessions = new SessionRegistry();
    Engine engine = new Engine(sessions, LogicalUnits::open, options.stateDir());
    AgentMetrics metrics =
        options.metricsAddress() == null
            ? AgentMetrics.disabled()
            : MetricsServer.prometheusMetrics(
                Boolean.parseBoolean(System.getenv(PER_INITIATOR_ENV)));
    // Disk commands block on I/O; a virtual thread each keeps event loops free at any queue depth.
    TgtdDaemon daemon =
        new TgtdDaemon(engine, Executors.newVirtualThreadPerTaskExecutor(), metrics);
    try {
      if (options.metricsAddress() != null) {
        // First, so /healthz answers (and /readyz says "starting") while the rest comes up.
        HostPort at = options.metricsAddress();
        daemon.metricsServer =
            MetricsServer.start(
                new InetSocketAddress(at.host(), at.port()), metrics, () -> daemon.ready);
      }
      StateStore store =
          options.stateDir() == null ? StateStore.none() : StateStore.in(options.stateDir());
      ControlService service =
          new ControlService(
              new MeteredEngine(engine, sessions, metrics), store, daemon.stopped::countDown);
      daemon.service = service;
      daemon.store = store;
      initialSpec(options, store).ifPresent(service::restore);
      daemon.control = ControlServer.start(controlDirectory, options.controlPort(), service);
      List<InetSocketAddress> portals =
          options.portals().stream().map(p -> new InetSocketAddress(p.host(), p.port())).toList();
      List<String> advertised =
          options.portals().stream().map(p -> p + "," + PORTAL_GROUP_TAG).toList();
      ConnectionServices services =
          new ConnectionServices(
              sessions,
              new EngineDirectory(engine),
              engine,
              daemon.commandExecutor,
              advertised,
              new SecureRandom(),
              metrics);
      daemon.iscsi = IscsiServer.start(portals, services);
      daemon.ready = true;
      return daemon;
    } catch (IOException | ConfigException | InterruptedException | RuntimeException e) {
      daemon.close();
      throw e;
    }
  }

  /** {@code --config} when given (it is the declared configuration), else the saved state. */
  private static Optional<TargetSetSpec> initialSpec(TgtdOptions options, StateStore store)
      throws ConfigException {
    if (options.config() != null) {
      log.info("applying configuration from {}", options.config());
      return Optional.of(YamlConfig.load(options.config()));
    }
    Optional<TargetSetSpec> saved = store.load();
    saved.ifPresent(s -> log.info("restored {} target(s) from the state dir", s.targets().size()));
    return saved;
  }

  /** The live target set, for the node agent's status. */
  public Engine engine() {
    return engine;
  }

  /** The one place configuration changes go through, whoever makes them. */
  public ControlService controlService() {
    return service;
  }

  /** Where the applied configuration is persisted ({@link StateStore#none()} without a dir). */
  public StateStore stateStore() {
    return store;
  }

  /** The addresses the iSCSI portals are bound to. */
  public List<InetSocketAddress> portals() {
    return iscsi.boundAddresses();
  }

  /** Blocks until tgtadm asks the daemon to stop or the process is told to. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  public void stop() {
    stopped.countDown();
  }

  /**
   * Stops the daemon on SIGTERM or SIGINT. The hook waits, at most {@link #SHUTDOWN_BOUND}, for
   * {@link #close} to finish, so initiators are asked to log out, in-flight commands drain and the
   * stores are flushed and closed before the JVM exits. A stop that came from a signal then ends
   * the process with status 0 when everything finished in time (1 otherwise), rather than the JVM's
   * 143, so service managers record a clean stop; a stop asked for through tgtadm keeps the exit
   * status the command returns.
   */
  public void stopOnShutdown() {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  boolean bySignal = stopped.getCount() > 0;
                  long start = System.nanoTime();
                  if (bySignal) {
                    log.info("signal received: stopping");
                  }
                  stop();
                  boolean finished = false;
                  try {
                    finished = closed.await(SHUTDOWN_BOUND.toMillis(), TimeUnit.MILLISECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  if (!bySignal) {
                    return;
                  }
                  long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                  if (finished) {
                    log.info("stopped cleanly in {} ms", millis);
                  } else {
                    log.error("shutdown did not finish within {}; exiting anyway", SHUTDOWN_BOUND);
                  }
                  Runtime.getRuntime().halt(finished ? 0 : 1);
                },
                "tgtd-shutdown"));
  }

  @Override
  public void close() {
    if (closed.getCount() == 0) {
      return;
    }
    ready = false;
    if (iscsi != null) {
      iscsi.close();
    }
    if (control != null) {
      try {
        control.close();
      } catch (IOException e) {
        log.warn("closing the control channel: {}", e.getMessage());
      }
    }
    drainCommands();
    // Closing a unit flushes its store (fdatasync), so writes acknowledged without FUA are durable.
    engine.close();
    if (metricsServer != null) {
      metricsServer.close();
    }
    metrics.close();
    closed.countDown();
  }

  /**
   * Lets commands already handed to the executor finish (their connections are gone by now, but a
   * write half applied to the store is worse than one applied whole), for at most {@link
   * #DRAIN_BOUND}.
   */
  private void drainCommands() {
    commandExecutor.shutdown();
    try {
      if (!commandExecutor.awaitTermination(DRAIN_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("commands still running {} after shutdown began; closing anyway", DRAIN_BOUND);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
