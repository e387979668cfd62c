package dev.lunar.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The metric-name extraction DashboardMetricsIT relies on, and that its check can fail. */
class PromQlMetricNamesTest {

  @Test
  void aggregationOverARateOfASelectorReadsOnlyTheMetric() {
    assertThat(
            PromQlMetricNames.of(
                "sum by (target, lun) (rate(lunar_scsi_read_operations_total"
                    + "{target=~\"$target\", lun!=\"0\"}[$__rate_interval]))"))
        .containsExactly("lunar_scsi_read_operations_total");
  }

  @Test
  void histogramQuantileWithGroupingAfterTheAggregation() {
    assertThat(
            PromQlMetricNames.of(
                "histogram_quantile(0.99, sum(rate(lunar_scsi_io_seconds_bucket[5m])) by (le, op))"
                    + " > 0.5"))
        .containsExactly("lunar_scsi_io_seconds_bucket");
  }

  @Test
  void binaryOperatorsWithMatchingModifiersReadBothSides() {
    assertThat(
            PromQlMetricNames.of(
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
            PromQlMetricNames.of(
                "label_replace(x, \"dst\", \"$1\", \"src\", \"(.*)\") * 0x1F + ${factor} * 2.5e3"
                    + " + y[[interval]] + z[1h:5m] + Inf + NaN"))
        .containsExactly("x", "y", "z");
  }

  @Test
  void misspelledFunctionShowsUpAsAName() {
    assertThat(PromQlMetricNames.of("rat(lunar_iscsi_logins_total[5m])"))
        .containsExactly("lunar_iscsi_logins_total", "rat");
  }

  @Test
  void grafanaVariableQueriesReadTheSelectorNotTheLabel() {
    assertThat(
            PromQlMetricNames.ofVariableQuery(
                "label_values(lunar_scsi_read_operations_total{target=\"$target\", lun!=\"0\"}, lun)"))
        .containsExactly("lunar_scsi_read_operations_total");
    assertThat(PromQlMetricNames.ofVariableQuery("label_values(node)")).isEmpty();
    assertThat(PromQlMetricNames.ofVariableQuery("query_result(topk(5, sum by (t) (m_total)))"))
        .containsExactly("m_total");
  }

  @Test
  void aNameNoScrapeExportsIsReportedWithWhereItIsUsed() {
    List<MonitoringQueries.Query> queries =
        List.of(
            new MonitoringQueries.Query("panel A", "rate(lunar_scsi_reads_totl[5m])", false),
            new MonitoringQueries.Query("panel B", "sum(lunar_iscsi_sessions)", false),
            new MonitoringQueries.Query("rule AgentDown", "up == 0", false));

    Map<String, Set<String>> missing =
        DashboardMetricsIT.missing(
            MonitoringQueries.usage(queries), Set.of("lunar_iscsi_sessions", "jvm_info"));

    assertThat(missing).containsExactly(Map.entry("lunar_scsi_reads_totl", Set.of("panel A")));
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
