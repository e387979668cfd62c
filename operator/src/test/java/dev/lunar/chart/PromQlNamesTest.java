package dev.lunar.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The metric-name extraction DashboardMetricsIT relies on, and that its check can fail. */
class PromQlNamesTest {

  @Test
  void aggregationOverARateOfASelectorReadsOnlyTheMetric() {
    assertThat(
            PromQlNames.metrics(
                "sum by (target, lun) (rate(lunar_scsi_read_operations_total"
                    + "{target=~\"$target\", lun!=\"0\"}[$__rate_interval]))"))
        .containsExactly("lunar_scsi_read_operations_total");
  }

  @Test
  void histogramQuantileWithGroupingAfterTheAggregation() {
    assertThat(
            PromQlNames.metrics(
                "histogram_quantile(0.99, sum(rate(lunar_scsi_io_seconds_bucket[5m])) by (le, op))"
                    + " > 0.5"))
        .containsExactly("lunar_scsi_io_seconds_bucket");
  }

  @Test
  void binaryOperatorsWithMatchingModifiersReadBothSides() {
    assertThat(
            PromQlNames.metrics(
                """
                sum by (node) (rate(a_total[5m])) / on (node) group_left (pod)
                  max without (instance) (b_info) > bool 1e-3
                and ignoring(x) c offset 5m unless absent(d{job="up"})
                # a comment naming not_a_metric
                """))
        .containsExactly("a_total", "b_info", "c", "d");
  }

  @Test
  void stringsVariablesDurationsAndNumbersAreNotNames() {
    assertThat(
            PromQlNames.metrics(
                "label_replace(x, \"dst\", \"$1\", \"src\", \"(.*)\") * 0x1F + ${factor} * 2.5e3"
                    + " + y[[interval]] + z[1h:5m] + Inf + NaN"))
        .containsExactly("x", "y", "z");
  }

  @Test
  void misspelledFunctionShowsUpAsAName() {
    assertThat(PromQlNames.metrics("rat(lunar_iscsi_logins_total[5m])"))
        .containsExactly("lunar_iscsi_logins_total", "rat");
  }

  @Test
  void grafanaVariableQueriesReadTheSelectorNotTheLabel() {
    assertThat(
            PromQlNames.metricsOfVariableQuery(
                "label_values(lunar_scsi_read_operations_total{target=\"$target\", lun!=\"0\"}, lun)"))
        .containsExactly("lunar_scsi_read_operations_total");
    assertThat(PromQlNames.metricsOfVariableQuery("label_values(node)")).isEmpty();
    assertThat(PromQlNames.metricsOfVariableQuery("query_result(topk(5, sum by (t) (m_total)))"))
        .containsExactly("m_total");
  }

  @Test
  void labelsComeFromMatchersGroupingAndLabelValues() {
    assertThat(
            PromQlNames.labels(
                "sum by (le, op) (rate(m_bucket{target=~\"$target\", lun!=\"0\", __name__=\"m\"}[5m]))"
                    + " / on (node) group_left (pod) sum without (instance) (n{job=\"a,b=c\"})"))
        .containsExactly("instance", "job", "le", "lun", "node", "op", "pod", "target");
    assertThat(PromQlNames.labelsOfVariableQuery("label_values(m{target=\"$target\"}, lun)"))
        .containsExactly("lun", "target");
    assertThat(PromQlNames.labelsOfVariableQuery("label_values(node)")).containsExactly("node");
  }

  @Test
  void aNameNoScrapeExportsIsReportedWithWhereItIsUsed() {
    List<MonitoringQueries.Query> queries =
        List.of(
            new MonitoringQueries.Query("panel A", "rate(lunar_scsi_reads_totl[5m])", false),
            new MonitoringQueries.Query("panel B", "sum(lunar_iscsi_sessions)", false),
            new MonitoringQueries.Query("rule AgentDown", "up == 0", false));
    ExportedNames exported =
        ExportedNames.of(new Scrape("lunar_iscsi_sessions{target=\"t\"} 1\njvm_info 1\n"));

    assertThat(exported.missingMetrics(MonitoringQueries.usage(queries)))
        .containsExactly(Map.entry("lunar_scsi_reads_totl", Set.of("panel A")));
  }

  @Test
  void aLabelTheQueriedMetricsLackIsReported() {
    ExportedNames exported =
        ExportedNames.of(
            new Scrape(
                """
                # HELP m_bucket a histogram
                m_bucket{op="read",le="0.1"} 3
                lunar_iscsi_sessions{target="t"} 1
                """));
    List<MonitoringQueries.Query> queries =
        List.of(
            new MonitoringQueries.Query(
                "ok", "histogram_quantile(0.5, sum by (le, op, node) (rate(m_bucket[5m])))", false),
            new MonitoringQueries.Query("typo", "sum by (taget) (lunar_iscsi_sessions)", false),
            new MonitoringQueries.Query(
                "other metric's label", "sum(lunar_iscsi_sessions{op=\"read\"})", false));

    assertThat(exported.unknownLabels(queries))
        .containsOnly(
            Map.entry("typo", Set.of("taget")), Map.entry("other metric's label", Set.of("op")));
  }

  @Test
  void dashboardQueriesComeFromNestedPanelsAndQueryVariables() {
    String json =
        """
        {"panels": [
          {"type": "row", "title": "r", "panels": [
            {"title": "inner", "targets": [{"refId": "A", "expr": "sum(a_total)"}]}]},
          {"title": "outer", "targets": [{"refId": "A", "expr": "b"}, {"refId": "B"}]}],
         "templating": {"list": [
          {"name": "ds", "type": "datasource", "query": "prometheus"},
          {"name": "t", "type": "query", "query": {"query": "label_values(c, target)"}},
          {"name": "u", "type": "query", "query": "label_values(d{x=\\"1\\"}, u)"}]}}
        """;

    assertThat(MonitoringQueries.usage(MonitoringQueries.ofDashboard("x.json", json)))
        .containsOnlyKeys("a_total", "b", "c", "d")
        .containsEntry("a_total", Set.of("x.json panel 'inner' A"))
        .containsEntry("c", Set.of("x.json variable $t"));
  }
}
