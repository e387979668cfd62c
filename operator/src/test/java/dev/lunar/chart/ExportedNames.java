package dev.lunar.chart;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the scraped processes export (each sample name with its label names) and the checks of the
 * chart's queries against it.
 *
 * @param labelsByName sample name to label names, merged over every scrape
 */
record ExportedNames(Map<String, Set<String>> labelsByName) {

  /**
   * Names no Lunar process exports because Prometheus makes them itself while scraping. Each entry
   * needs a reason; everything else must come from a scrape.
   */
  static final Set<String> SCRAPER_METRICS = Set.of("up");

  /**
   * Labels Prometheus adds to every series it scrapes through the chart's ServiceMonitor: the
   * Prometheus Operator's target labels and the {@code node} relabelling.
   */
  static final Set<String> TARGET_LABELS =
      Set.of("job", "instance", "namespace", "service", "pod", "container", "endpoint", "node");

  static ExportedNames of(Scrape... scrapes) {
    Map<String, Set<String>> merged = new TreeMap<>();
    for (Scrape scrape : scrapes) {
      scrape
          .labelsByName()
          .forEach(
              (name, labels) -> merged.computeIfAbsent(name, n -> new TreeSet<>()).addAll(labels));
    }
    return new ExportedNames(merged);
  }

  boolean exports(String name) {
    return labelsByName.containsKey(name) || SCRAPER_METRICS.contains(name);
  }

  /** The queried metric names nobody exports, each with where it is queried. */
  Map<String, Set<String>> missingMetrics(Map<String, Set<String>> usage) {
    Map<String, Set<String>> missing = new TreeMap<>();
    usage.forEach(
        (name, sources) -> {
          if (!exports(name)) {
            missing.put(name, sources);
          }
        });
    return missing;
  }

  /**
   * Per query source, the labels it matches or groups by that none of its metrics carries and
   * Prometheus does not add. A query's labels are checked against the union of its metrics' labels:
   * a {@code by (...)} may name a label of any of them.
   */
  Map<String, Set<String>> unknownLabels(List<MonitoringQueries.Query> queries) {
    Map<String, Set<String>> unknown = new TreeMap<>();
    for (MonitoringQueries.Query query : queries) {
      Set<String> known = new TreeSet<>(TARGET_LABELS);
      for (String name : query.metricNames()) {
        known.addAll(labelsByName.getOrDefault(name, Set.of()));
      }
      Set<String> labels = new TreeSet<>(query.labelNames());
      labels.removeAll(known);
      if (!labels.isEmpty()) {
        unknown.put(query.source(), labels);
      }
    }
    return unknown;
  }
}
