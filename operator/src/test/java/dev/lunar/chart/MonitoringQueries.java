package dev.lunar.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunar.chart.Rendered.K8sObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every PromQL query the chart ships: the {@code expr} of each panel target and the query of each
 * template variable in the dashboard ConfigMaps, and the {@code expr} of each PrometheusRule rule.
 */
final class MonitoringQueries {

  /** One query and where it comes from, for messages. */
  record Query(String source, String promQl, boolean variable) {

    Set<String> metricNames() {
      return variable ? PromQlNames.metricsOfVariableQuery(promQl) : PromQlNames.metrics(promQl);
    }

    Set<String> labelNames() {
      return variable ? PromQlNames.labelsOfVariableQuery(promQl) : PromQlNames.labels(promQl);
    }
  }

  private MonitoringQueries() {}

  /** The queries of a render that has dashboards and alerts enabled. */
  static List<Query> of(Rendered rendered) {
    List<Query> queries = new ArrayList<>();
    for (K8sObject configMap : rendered.ofKind("ConfigMap")) {
      for (Map.Entry<String, Object> entry : configMap.map("data").entrySet()) {
        if (entry.getKey().endsWith(".json")) {
          queries.addAll(ofDashboard(entry.getKey(), String.valueOf(entry.getValue())));
        }
      }
    }
    for (K8sObject rule : rendered.ofKind("PrometheusRule")) {
      for (Map<String, Object> group : rule.list("spec.groups")) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rules = (List<Map<String, Object>>) group.get("rules");
        for (Map<String, Object> r : rules) {
          String name = String.valueOf(r.getOrDefault("alert", r.get("record")));
          queries.add(new Query("rule " + name, String.valueOf(r.get("expr")), false));
        }
      }
    }
    return queries;
  }

  /** The queries of one Grafana dashboard's JSON: panels (rows nest them) and variables. */
  static List<Query> ofDashboard(String file, String json) {
    JsonNode dashboard;
    try {
      dashboard = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("dashboard " + file + " is not valid JSON", e);
    }
    List<Query> queries = new ArrayList<>();
    addPanels(file, dashboard.path("panels"), queries);
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        JsonNode query = variable.path("query");
        String text = query.isObject() ? query.path("query").asText() : query.asText();
        String source = file + " variable $" + variable.path("name").asText();
        queries.add(new Query(source, text, true));
      }
    }
    return queries;
  }

  private static void addPanels(String file, JsonNode panels, List<Query> queries) {
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        if (target.hasNonNull("expr")) {
          String source =
              file
                  + " panel '"
                  + panel.path("title").asText()
                  + "' "
                  + target.path("refId").asText();
          queries.add(new Query(source, target.get("expr").asText(), false));
        }
      }
      addPanels(file, panel.path("panels"), queries);
    }
  }

  /** Each metric name to the sources of the queries that read it. */
  static Map<String, Set<String>> usage(List<Query> queries) {
    Map<String, Set<String>> usage = new TreeMap<>();
    for (Query query : queries) {
      for (String name : query.metricNames()) {
        usage.computeIfAbsent(name, n -> new TreeSet<>()).add(query.source());
      }
    }
    return usage;
  }
}
