package dev.lunar.chart;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, found by erasing everything else: comments, Grafana
 * variables, strings, label matchers, ranges and subqueries, grouping clauses, numbers and
 * durations, then dropping function names, aggregation operators and keywords.
 *
 * <p>Function names come from a closed list on purpose: a misspelled function ({@code rat(...)})
 * then shows up as an unknown metric instead of passing silently.
 */
final class PromQlMetricNames {

  /** PromQL functions and aggregation operators (Prometheus 3), plus Grafana's query helpers. */
  static final Set<String> FUNCTIONS =
      Set.of(
          // aggregation operators
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio",
          // functions
          "abs",
          "absent",
          "absent_over_time",
          "ceil",
          "changes",
          "clamp",
          "clamp_max",
          "clamp_min",
          "day_of_month",
          "day_of_week",
          "day_of_year",
          "days_in_month",
          "delta",
          "deriv",
          "double_exponential_smoothing",
          "exp",
          "floor",
          "histogram_avg",
          "histogram_count",
          "histogram_fraction",
          "histogram_quantile",
          "histogram_stddev",
          "histogram_stdvar",
          "histogram_sum",
          "holt_winters",
          "hour",
          "idelta",
          "increase",
          "info",
          "irate",
          "label_join",
          "label_replace",
          "ln",
          "log2",
          "log10",
          "minute",
          "month",
          "predict_linear",
          "rate",
          "resets",
          "round",
          "scalar",
          "sgn",
          "sort",
          "sort_desc",
          "sort_by_label",
          "sort_by_label_desc",
          "sqrt",
          "time",
          "timestamp",
          "vector",
          "year",
          "avg_over_time",
          "min_over_time",
          "max_over_time",
          "sum_over_time",
          "count_over_time",
          "quantile_over_time",
          "stddev_over_time",
          "stdvar_over_time",
          "last_over_time",
          "present_over_time",
          "mad_over_time",
          "acos",
          "acosh",
          "asin",
          "asinh",
          "atan",
          "atanh",
          "cos",
          "cosh",
          "sin",
          "sinh",
          "tan",
          "tanh",
          "deg",
          "pi",
          "rad");

  /** Binary operators spelled as words, modifiers and literals. */
  static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "atan2",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "start",
          "end",
          "inf",
          "nan");

  private static final Pattern COMMENT = Pattern.compile("#[^\n]*");
  private static final Pattern GRAFANA_VARIABLE =
      Pattern.compile("\\$\\{[^}]*}|\\$\\w+|\\[\\[\\w+(?::\\w+)?]]");
  private static final Pattern STRING =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][\\w:]*");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\s*\\((.*)\\)\\s*$", Pattern.DOTALL);
  private static final Pattern QUERY_RESULT =
      Pattern.compile("^\\s*query_result\\s*\\((.*)\\)\\s*$", Pattern.DOTALL);

  private PromQlMetricNames() {}

  /** The metric names {@code expr} reads, sorted. */
  static Set<String> of(String expr) {
    String rest = COMMENT.matcher(expr).replaceAll(" ");
    rest = GRAFANA_VARIABLE.matcher(rest).replaceAll(" ");
    rest = STRING.matcher(rest).replaceAll(" ");
    rest = LABEL_MATCHERS.matcher(rest).replaceAll(" ");
    rest = RANGE.matcher(rest).replaceAll(" ");
    rest = GROUPING.matcher(rest).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(rest);
    while (m.find()) {
      String word = m.group();
      if (!FUNCTIONS.contains(word) && !KEYWORDS.contains(word.toLowerCase())) {
        names.add(word);
      }
    }
    return names;
  }

  /**
   * The metric names a Grafana template-variable query reads: {@code label_values(selector, label)}
   * reads the selector's metric ({@code label_values(label)} reads none), {@code
   * query_result(expr)} reads its expression, anything else is taken as PromQL.
   */
  static Set<String> ofVariableQuery(String query) {
    Matcher labelValues = LABEL_VALUES.matcher(query);
    if (labelValues.matches()) {
      String arguments = labelValues.group(1);
      int lastComma = arguments.lastIndexOf(',');
      return lastComma < 0 ? Set.of() : of(arguments.substring(0, lastComma));
    }
    Matcher queryResult = QUERY_RESULT.matcher(query);
    return of(queryResult.matches() ? queryResult.group(1) : query);
  }
}
