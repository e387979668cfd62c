package dev.lunar.operator;

import dev.lunar.operator.reconcile.Reconcilers;
import dev.lunar.operator.view.ClusterView;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running operator: the cluster view, the three JOSDK controllers (IscsiNode specs, IscsiTarget
 * and IscsiLun status), optional leader election, and the metrics and health endpoints.
 */
public final class LunarOperator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LunarOperator.class);

  private final ClusterView view;
  private final Operator operator;
  private final OperatorHttp http;

  private final AtomicBoolean closing;

  private LunarOperator(
      ClusterView view, Operator operator, OperatorHttp http, AtomicBoolean closing) {
    this.view = view;
    this.operator = operator;
    this.http = http;
    this.closing = closing;
  }

  /**
   * Leader election on a Lease in the system namespace. A replica that loses the Lease while
   * running exits, so Kubernetes restarts it as a clean follower; one that is being closed simply
   * lets go.
   */
  private static LeaderElectionConfiguration leaderElection(
      OperatorSettings settings, AtomicBoolean closing) {
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> log.info("{} leads", settings.identity()),
            () -> {
              if (!closing.get()) {
                log.error("{} lost the leader Lease; exiting to restart", settings.identity());
                System.exit(1);
              }
            },
            leader -> log.info("leader is {}", leader));
    return new LeaderElectionConfiguration(
        settings.leaseName(),
        settings.systemNamespace(),
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        settings.identity(),
        callbacks,
        false);
  }

  public static LunarOperator start(KubernetesClient client, OperatorSettings settings) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    ClusterView view = ClusterView.start(client, settings.systemNamespace());
    AtomicBoolean closing = new AtomicBoolean();
    ObjectGauges gauges = new ObjectGauges(view, registry);
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withStopOnInformerErrorDuringStartup(true)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(leaderElection(settings, closing));
              }
            });
    Reconcilers reconcilers = Reconcilers.register(operator, view, client, Clock.systemUTC());
    operator.start();
    reconcilers.routeChanges();
    try {
      OperatorHttp http =
          new OperatorHttp(
              settings.metricsAddress(),
              () -> {
                gauges.refresh();
                return registry.scrape();
              },
              settings.healthAddress(),
              view::watching);
      log.info(
          "operator started (namespace {}, leader election {}, metrics on port {})",
          settings.systemNamespace(),
          settings.leaderElection() ? "on" : "off",
          http.metricsPort());
      return new LunarOperator(view, operator, http, closing);
    } catch (IOException e) {
      operator.stop();
      view.close();
      throw new UncheckedIOException("cannot serve metrics: " + e.getMessage(), e);
    }
  }

  public int metricsPort() {
    return http.metricsPort();
  }

  @Override
  public void close() {
    closing.set(true);
    http.close();
    operator.stop();
    view.close();
  }
}
