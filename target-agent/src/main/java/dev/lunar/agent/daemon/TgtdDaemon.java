package dev.lunar.agent.daemon;

import dev.lunar.agent.control.ConfigException;
import dev.lunar.agent.control.ControlServer;
import dev.lunar.agent.control.ControlService;
import dev.lunar.agent.control.StateStore;
import dev.lunar.agent.control.TgtdOptions;
import dev.lunar.agent.control.TgtdOptions.HostPort;
import dev.lunar.agent.control.YamlConfig;
import dev.lunar.agent.control.model.TargetSetSpec;
import dev.lunar.agent.engine.Engine;
import dev.lunar.agent.engine.EngineDirectory;
import dev.lunar.agent.iscsi.IscsiServer;
import dev.lunar.agent.iscsi.session.ConnectionServices;
import dev.lunar.agent.iscsi.session.SessionRegistry;
import dev.lunar.agent.metrics.AgentMetrics;
import dev.lunar.agent.metrics.MetricsServer;
import dev.lunar.agent.scsi.LogicalUnits;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    SessionRegistry sessions = new SessionRegistry();
    Engine engine = new Engine(sessions, LogicalUnits::open, options.stateDir());
    PrometheusMeterRegistry registry =
        options.metricsAddress() == null
            ? null
            : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AgentMetrics metrics =
        registry == null
            ? AgentMetrics.disabled()
            : new AgentMetrics(registry, Boolean.parseBoolean(System.getenv(PER_INITIATOR_ENV)))
                .withJvmMetrics();
    // Disk commands block on I/O; a virtual thread each keeps event loops free at any queue depth.
    TgtdDaemon daemon =
        new TgtdDaemon(engine, Executors.newVirtualThreadPerTaskExecutor(), metrics);
    try {
      if (registry != null) {
        // First, so /healthz answers (and /readyz says "starting") while the rest comes up.
        HostPort at = options.metricsAddress();
        daemon.metricsServer =
            MetricsServer.start(
                new InetSocketAddress(at.host(), at.port()), registry, () -> daemon.ready);
      }
      StateStore store =
          options.stateDir() == null ? StateStore.none() : StateStore.in(options.stateDir());
      ControlService service =
          new ControlService(
              new MeteredEngine(engine, sessions, metrics), store, daemon.stopped::countDown);
      daemon.service = service;
      daemon.store = store;
      initialSpec(options, store).ifPresent(service::restore);
      daemon.control = ControlServer.start(options.controlPort(), service);
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
   * Stops the daemon on SIGTERM or SIGINT. The hook waits (bounded) for {@link #close} to finish,
   * so initiators are asked to log out and the stores are closed before the JVM exits.
   */
  public void stopOnShutdown() {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop();
                  try {
                    awaitClosed(10);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "tgtd-shutdown"));
  }

  /** Waits (bounded) until {@link #close} has finished, so a shutdown hook lets it complete. */
  public void awaitClosed(long seconds) throws InterruptedException {
    closed.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
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
    commandExecutor.shutdown();
    engine.close();
    if (metricsServer != null) {
      metricsServer.close();
    }
    metrics.close();
    closed.countDown();
  }
}
