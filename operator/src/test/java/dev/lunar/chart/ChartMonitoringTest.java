package dev.lunar.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunar.chart.Rendered.K8sObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The monitoring objects of a render with everything on (values-production.yaml): what Prometheus
 * scrapes and how series get their node, the dashboards Grafana loads, the alerts and their knobs.
 * DashboardMetricsIT checks the metric names of the queries against live scrapes.
 */
class ChartMonitoringTest {

  private static final Rendered RENDERED =
      LunarChart.rendered(LunarChart.testValues("values-production.yaml"));

  @Test
  void serviceMonitorScrapesTheAgentAndTheOperatorAndNamesTheNode() {
    K8sObject monitor = RENDERED.single("ServiceMonitor");
    Map<String, Object> selector = monitor.map("spec.selector.matchLabels");

    List<K8sObject> scraped =
        RENDERED.ofKind("Service").stream()
            .filter(s -> s.map("metadata.labels").entrySet().containsAll(selector.entrySet()))
            .toList();
    assertThat(scraped)
        .extracting(K8sObject::name)
        .containsExactlyInAnyOrder("lunar-prod-agent-metrics", "lunar-prod-operator-metrics");
    for (K8sObject service : scraped) {
      assertThat(service.list("spec.ports"))
          .as("ports of %s", service.name())
          .anySatisfy(p -> assertThat(p.get("name")).isEqualTo("metrics"));
    }
    assertThat(monitor.at("spec.endpoints[0].port")).isEqualTo("metrics");
    assertThat(monitor.at("spec.endpoints[0].path")).isEqualTo("/metrics");
    assertThat(monitor.at("spec.endpoints[0].interval")).isEqualTo("15s");
    assertThat(monitor.list("spec.endpoints[0].relabelings"))
        .anySatisfy(
            r -> {
              assertThat(r.get("sourceLabels"))
                  .isEqualTo(List.of("__meta_kubernetes_pod_node_name"));
              assertThat(r.get("targetLabel")).isEqualTo("node");
            });
  }

  @Test
  void overviewAndPerLunDashboardsShipAsGrafanaConfigMaps() throws Exception {
    Map<String, JsonNode> dashboards = dashboards();

    assertThat(dashboards).containsOnlyKeys("lunar-overview.json", "lunar-lun.json");
    Set<String> uids = new HashSet<>();
    for (Map.Entry<String, JsonNode> entry : dashboards.entrySet()) {
      JsonNode dashboard = entry.getValue();
      assertThat(uids.add(dashboard.path("uid").asText())).as("unique uid").isTrue();
      List<JsonNode> panels = panels(dashboard.path("panels"));
      assertThat(panels).extracting(p -> p.path("id").asInt()).doesNotHaveDuplicates();
      for (JsonNode panel : panels) {
        if (!panel.path("type").asText().equals("row")) {
          assertThat(panel.path("datasource").path("uid").asText())
              .as(
                  "%s panel '%s' uses the data source variable",
                  entry.getKey(), panel.path("title"))
              .isEqualTo("${datasource}");
          assertThat(panel.path("targets")).as("queries of '%s'", panel.path("title")).isNotEmpty();
        }
      }
    }
    assertThat(variables(dashboards.get("lunar-lun.json")))
        .containsExactly("datasource", "target", "lun");
    assertThat(variables(dashboards.get("lunar-overview.json")))
        .containsExactly("datasource", "node", "target");
    assertThat(dashboards.get("lunar-lun.json").toString())
        .contains("lun=\\\"$lun\\\"", "histogram_quantile(0.99", "\"format\":\"heatmap\"");
  }

  @Test
  void alertsCoverAvailabilityObjectsLoginsAndLatencyWithTheValuesThresholds() {
    K8sObject rule = RENDERED.single("PrometheusRule");
    Map<String, Map<String, Object>> alerts = new java.util.TreeMap<>();
    for (Map<String, Object> group : rule.list("spec.groups")) {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rules = (List<Map<String, Object>>) group.get("rules");
      rules.forEach(r -> alerts.put(String.valueOf(r.get("alert")), r));
    }

    assertThat(alerts)
        .containsOnlyKeys(
            "LunarAgentDown",
            "LunarOperatorDown",
            "LunarLunNotReady",
            "LunarTargetNotReady",
            "LunarTargetLostAllSessions",
            "LunarLoginFailures",
            "LunarLoginFailureStorm",
            "LunarHighIoLatency",
            "LunarStorageErrors");
    // A failing scrape, and also no agent target at all (then no up series exists to be 0).
    assertThat(alerts.get("LunarAgentDown").get("expr"))
        .isEqualTo(
            "up{job=\"lunar-prod-agent-metrics\"} == 0 or absent(up{job=\"lunar-prod-agent-metrics\"})");
    assertThat(annotation(alerts, "LunarAgentDown", "summary"))
        .contains("{{ if $labels.node }}", "{{ else }}No Lunar agent is scraped at all");
    for (String notReady : List.of("LunarLunNotReady", "LunarTargetNotReady")) {
      assertThat(annotation(alerts, notReady, "description"))
          .as(notReady)
          .contains("kubectl get iscsi -A");
    }
    assertThat(alerts.get("LunarOperatorDown").get("expr").toString())
        .contains("lunar-prod-operator-metrics");
    assertThat(alerts.get("LunarLunNotReady").get("expr").toString())
        .contains("kind=\"IscsiLun\"", "ready=\"False\"", "reason!=\"Applying\"");
    assertThat(alerts.get("LunarTargetLostAllSessions").get("for")).isEqualTo("10m");
    // values-production.yaml sets the latency SLO: p95 above 200 ms for 30 minutes.
    assertThat(alerts.get("LunarHighIoLatency").get("expr").toString())
        .contains("histogram_quantile(0.95,", "> 0.2", "> 5");
    assertThat(alerts.get("LunarHighIoLatency").get("for")).isEqualTo("30m");
    alerts.forEach(
        (name, r) -> {
          @SuppressWarnings("unchecked")
          Map<String, Object> labels = (Map<String, Object>) r.get("labels");
          assertThat(labels).as(name).containsKey("severity");
        });
  }

  @Test
  void everyQueryHasBalancedBracketsAndNoLeftoverTemplating() {
    List<MonitoringQueries.Query> queries = MonitoringQueries.of(RENDERED);

    assertThat(queries).isNotEmpty();
    assertThat(unbalanced("sum(rate(m{a=\")\"}[5m])"))
        .as("the check itself")
        .isEqualTo("unclosed (");
    assertThat(unbalanced("sum(m[5m)]")).isEqualTo("unexpected ) at 8");
    for (MonitoringQueries.Query query : queries) {
      assertThat(unbalanced(query.promQl())).as("%s: %s", query.source(), query.promQl()).isNull();
      assertThat(query.promQl()).as(query.source()).doesNotContain("{{", "}}", "<no value>");
    }
  }

  @SuppressWarnings("unchecked")
  private static String annotation(
      Map<String, Map<String, Object>> alerts, String alert, String annotation) {
    return String.valueOf(
        ((Map<String, Object>) alerts.get(alert).get("annotations")).get(annotation));
  }

  /** Where brackets outside strings stop matching, or null when they all pair up. */
  static String unbalanced(String promQl) {
    String pairs = "(){}[]";
    java.util.Deque<Character> open = new java.util.ArrayDeque<>();
    char quote = 0;
    for (int i = 0; i < promQl.length(); i++) {
      char c = promQl.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'' || c == '`') {
        quote = c;
      } else if (pairs.indexOf(c) % 2 == 0) {
        open.push(c);
      } else if (pairs.indexOf(c) > 0) {
        Character last = open.poll();
        if (last == null || pairs.indexOf(last) + 1 != pairs.indexOf(c)) {
          return "unexpected " + c + " at " + i;
        }
      }
    }
    return open.isEmpty() && quote == 0 ? null : "unclosed " + (quote != 0 ? quote : open.peek());
  }

  private static Map<String, JsonNode> dashboards() throws Exception {
    Map<String, JsonNode> dashboards = new java.util.TreeMap<>();
    for (K8sObject configMap : RENDERED.ofKind("ConfigMap")) {
      assertThat(configMap.map("metadata.labels")).containsEntry("grafana_dashboard", "1");
      for (Map.Entry<String, Object> entry : configMap.map("data").entrySet()) {
        dashboards.put(
            entry.getKey(), new ObjectMapper().readTree(String.valueOf(entry.getValue())));
      }
    }
    return dashboards;
  }

  /** Panels with the ones inside rows, flattened. */
  private static List<JsonNode> panels(JsonNode list) {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode panel : list) {
      all.add(panel);
      all.addAll(panels(panel.path("panels")));
    }
    return all;
  }

  private static List<String> variables(JsonNode dashboard) {
    return StreamSupport.stream(dashboard.path("templating").path("list").spliterator(), false)
        .map(v -> v.path("name").asText())
        .toList();
  }
}
