package dev.lunar.chart;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric and label names a PromQL expression refers to. Metric names are found by erasing
 * everything else: comments, Grafana variables, strings, label matchers, ranges and subqueries,
 * grouping clauses, numbers and durations, then dropping function names, aggregation operators and
 * keywords.
 *
 * <p>Function names come from a closed list on purpose: a misspelled function ({@code rat(...)})
 * then shows up as an unknown metric instead of passing silently.
 */
final class PromQlNames {

  /** PromQL aggregation operators (Prometheus 3). */
  static final Set<String> AGGREGATIONS =
      words(
          """
          sum min max avg group stddev stdvar count count_values bottomk topk quantile limitk
          limit_ratio
          """);

  /** PromQL functions (Prometheus 3). */
  static final Set<String> FUNCTIONS =
      words(
          """
          abs absent absent_over_time ceil changes clamp clamp_max clamp_min day_of_month
          day_of_week day_of_year days_in_month delta deriv double_exponential_smoothing exp
          floor histogram_avg histogram_count histogram_fraction histogram_quantile
          histogram_stddev histogram_stdvar histogram_sum holt_winters hour idelta increase
          info irate label_join label_replace ln log2 log10 minute month predict_linear rate
          resets round scalar sgn sort sort_desc sort_by_label sort_by_label_desc sqrt time
          timestamp vector year avg_over_time min_over_time max_over_time sum_over_time
          count_over_time quantile_over_time stddev_over_time stdvar_over_time last_over_time
          present_over_time mad_over_time acos acosh asin asinh atan atanh cos cosh sin sinh
          tan tanh deg pi rad
          """);

  /** Binary operators spelled as words, modifiers and literals. */
  static final Set<String> KEYWORDS =
      words(
          """
          and or unless atan2 bool offset by without on ignoring group_left group_right start
          end inf nan
          """);

  private static final Pattern COMMENT = Pattern.compile("#[^\n]*");
  private static final Pattern GRAFANA_VARIABLE =
      Pattern.compile("\\$\\{[^}]*}|\\$\\w+|\\[\\[\\w+(?::\\w+)?]]");
  private static final Pattern STRING =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][\\w:]*");
  private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_]\\w*)\\s*(?:=~|!~|!=|=)");
  private static final Pattern GROUPING_LABELS =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\s*\\((.*)\\)\\s*$", Pattern.DOTALL);
  private static final Pattern QUERY_RESULT =
      Pattern.compile("^\\s*query_result\\s*\\((.*)\\)\\s*$", Pattern.DOTALL);

  private PromQlNames() {}

  /** The metric names {@code expr} reads, sorted. */
  static Set<String> metrics(String expr) {
    String rest = LABEL_MATCHERS.matcher(withoutLiterals(expr)).replaceAll(" ");
    rest = RANGE.matcher(rest).replaceAll(" ");
    rest = GROUPING_LABELS.matcher(rest).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(rest);
    while (m.find()) {
      String word = m.group();
      if (!AGGREGATIONS.contains(word)
          && !FUNCTIONS.contains(word)
          && !KEYWORDS.contains(word.toLowerCase())) {
        names.add(word);
      }
    }
    return names;
  }

  /**
   * The label names {@code expr} refers to: in label matchers and in {@code by}, {@code without},
   * {@code on}, {@code ignoring} and {@code group_left/right} clauses. {@code __name__} is left out
   * (every series has it).
   */
  static Set<String> labels(String expr) {
    String rest = withoutLiterals(expr);
    Set<String> labels = new TreeSet<>();
    Matcher blocks = LABEL_MATCHERS.matcher(rest);
    while (blocks.find()) {
      Matcher m = MATCHER_LABEL.matcher(blocks.group());
      while (m.find()) {
        labels.add(m.group(1));
      }
    }
    Matcher grouping = GROUPING_LABELS.matcher(rest);
    while (grouping.find()) {
      for (String label : grouping.group(1).split(",")) {
        if (!label.isBlank()) {
          labels.add(label.strip());
        }
      }
    }
    labels.remove("__name__");
    return labels;
  }

  /**
   * The label names a Grafana template-variable query refers to: those of its selector and, for
   * {@code label_values}, the label whose values it lists.
   */
  static Set<String> labelsOfVariableQuery(String query) {
    Matcher labelValues = LABEL_VALUES.matcher(query);
    if (!labelValues.matches()) {
      Matcher queryResult = QUERY_RESULT.matcher(query);
      return labels(queryResult.matches() ? queryResult.group(1) : query);
    }
    String arguments = labelValues.group(1);
    int lastComma = arguments.lastIndexOf(',');
    Set<String> labels = new TreeSet<>(labels(arguments.substring(0, Math.max(lastComma, 0))));
    labels.add(arguments.substring(lastComma + 1).strip());
    return labels;
  }

  private static Set<String> words(String text) {
    return Set.of(text.strip().split("\\s+"));
  }

  /** Comments, Grafana variables and string literals blanked out. */
  private static String withoutLiterals(String expr) {
    String rest = COMMENT.matcher(expr).replaceAll(" ");
    rest = GRAFANA_VARIABLE.matcher(rest).replaceAll(" ");
    return STRING.matcher(rest).replaceAll(" ");
  }

  /**
   * The metric names a Grafana template-variable query reads: {@code label_values(selector, label)}
   * reads the selector's metric ({@code label_values(label)} reads none), {@code
   * query_result(expr)} reads its expression, anything else is taken as PromQL.
   */
  static Set<String> metricsOfVariableQuery(String query) {
    Matcher labelValues = LABEL_VALUES.matcher(query);
    if (labelValues.matches()) {
      String arguments = labelValues.group(1);
      int lastComma = arguments.lastIndexOf(',');
      return lastComma < 0 ? Set.of() : metrics(arguments.substring(0, lastComma));
    }
    Matcher queryResult = QUERY_RESULT.matcher(query);
    return metrics(queryResult.matches() ? queryResult.group(1) : query);
  }
}
