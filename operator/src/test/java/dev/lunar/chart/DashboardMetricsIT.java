package dev.lunar.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.operator.LunarOperator;
import dev.lunar.operator.OperatorSettings;
import dev.lunar.operator.RealApiServer;
import dev.lunar.testing.Commands;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric name the chart's Grafana dashboards and PrometheusRule alerts query is one the code
 * really exports: the names are pulled out of their PromQL and looked up in live scrapes of a real
 * agent daemon (after I/O through qemu-img and a refused login, so per-LUN and login-failure series
 * exist) and of the operator running against the real API server (with an IscsiTarget and an
 * IscsiLun, so its object gauge has rows). Labels too: each label a query matches or groups by must
 * be carried by one of the metrics it reads, or be one Prometheus adds while scraping.
 */
class DashboardMetricsIT {

  private static final String SYSTEM = LunarChart.NAMESPACE;
  private static final String USERS = "lunar-metrics-it";
  private static final Duration WITHIN = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void everyMetricAndLabelTheDashboardsAndAlertsQueryIsExported() throws Exception {
    List<MonitoringQueries.Query> queries =
        MonitoringQueries.of(LunarChart.rendered(LunarChart.testValues("values-production.yaml")));
    Map<String, Set<String>> usage = MonitoringQueries.usage(queries);
    assertThat(queries).as("queries in the dashboards and alerts").hasSizeGreaterThan(40);

    Scrape agent = agentScrape();
    Scrape operator = operatorScrape();
    ExportedNames exported = ExportedNames.of(agent, operator);

    Map<String, Set<String>> missing = exported.missingMetrics(usage);
    System.out.printf(
        "DashboardMetricsIT: %d queries read %d metric names; %d names exported:%n",
        queries.size(), usage.size(), exported.labelsByName().size());
    usage.forEach(
        (name, sources) ->
            System.out.printf(
                "  %-8s %-60s %2d queries%n",
                missing.containsKey(name) ? "MISSING" : origin(name, agent, operator),
                name,
                sources.size()));
    assertThat(missing).as("metric names queried but exported by neither scrape").isEmpty();
    assertThat(exported.unknownLabels(queries))
        .as("labels matched or grouped by that the queried metrics do not carry")
        .isEmpty();
  }

  private static String origin(String name, Scrape agent, Scrape operator) {
    boolean fromAgent = agent.names().contains(name);
    boolean fromOperator = operator.names().contains(name);
    return fromAgent && fromOperator
        ? "both"
        : fromAgent ? "agent" : fromOperator ? "operator" : "scraper";
  }

  /** Writes to and reads from LUN 1, fails a login to the closed target, then scrapes. */
  private Scrape agentScrape() throws Exception {
    try (MeteredAgent agent = MeteredAgent.start(dir)) {
      String lun = agent.url(MeteredAgent.OPEN_IQN, 1);
      Commands.run(
          "qemu-img", "bench", "-f", "raw", "-w", "-c", "32", "-s", "65536", "-d", "1", lun);
      Commands.run("qemu-img", "bench", "-f", "raw", "-c", "32", "-s", "4096", "-d", "1", lun);
      int refused = Commands.exitCode("iscsi-inq", agent.url(MeteredAgent.CLOSED_IQN, 0));
      assertThat(refused).as("login to the target without ACL").isNotZero();

      Scrape scrape = Scrape.of(agent.metricsPort());
      String open = "target=\"" + MeteredAgent.OPEN_IQN + "\"";
      assertThat(scrape.hasSample("lunar_scsi_write_operations_total", open, "lun=\"1\""))
          .as("per-LUN series after I/O\n%s", agent.log())
          .isTrue();
      assertThat(scrape.hasSample("lunar_iscsi_logins_total", "result=\"failure\"")).isTrue();
      return scrape;
    }
  }

  /** The operator on the real API server, with one IscsiTarget and one IscsiLun to count. */
  private static Scrape operatorScrape() {
    try (RealApiServer apiServer = RealApiServer.start()) {
      apiServer.applyCommittedCrds();
      KubernetesClient client = apiServer.client();
      for (String namespace : List.of(SYSTEM, USERS)) {
        client
            .namespaces()
            .resource(
                new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
            .create();
      }
      var local = new InetSocketAddress("127.0.0.1", 0);
      try (LunarOperator operator =
          LunarOperator.start(
              client,
              new OperatorSettings(SYSTEM, false, "lunar-operator", "metrics-it", local, local))) {
        // A baseline: if /metrics fails only once objects exist, the object gauge is at fault.
        assertThat(Scrape.of(operator.metricsPort()).names()).contains("jvm_memory_used_bytes");
        client
            .load(
                new ByteArrayInputStream(
                    """
                    apiVersion: iscsi.lunar.dev/v1alpha1
                    kind: IscsiTarget
                    metadata: {name: metrics, namespace: %1$s}
                    spec: {node: worker-1}
                    ---
                    apiVersion: iscsi.lunar.dev/v1alpha1
                    kind: IscsiLun
                    metadata: {name: metrics-disk, namespace: %1$s}
                    spec:
                      target: metrics
                      lun: 1
                      backing: {file: {path: /var/lib/lunar/files/metrics.img, size: 1Gi}}
                    """
                        .formatted(USERS)
                        .getBytes(StandardCharsets.UTF_8)))
            .create();
        // Reconciled: both have a Ready condition (not Ready, as no agent serves worker-1), so
        // the reconcile timers and success counters exist as well.
        await(
            "the operator to reconcile the IscsiTarget and the IscsiLun and count them on /metrics",
            () -> Scrape.of(operator.metricsPort()),
            s ->
                s.hasSample("lunar_operator_objects", "kind=\"IscsiTarget\"", "ready=\"False\"")
                    && s.hasSample(
                        "lunar_operator_objects", "kind=\"IscsiLun\"", "ready=\"False\""));
        Waiting.pause(Duration.ofSeconds(2));
        return Scrape.of(operator.metricsPort());
      }
    }
  }

  /** Polls until {@code done}; a failing poll is retried and, at the deadline, reported. */
  private static <T> T await(String what, Supplier<T> value, Predicate<T> done) {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    Object last = null;
    while (System.nanoTime() < deadline) {
      try {
        T current = value.get();
        if (done.test(current)) {
          return current;
        }
        last = current;
      } catch (AssertionError e) {
        last = e;
      }
      Waiting.pause(Duration.ofMillis(250));
    }
    throw new AssertionError("timed out waiting for " + what + "; last:\n" + last);
  }
}
