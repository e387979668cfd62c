package dev.lunar.chart;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Prometheus text exposition and the metric names of its sample lines. Those are the names
 * PromQL sees: a histogram appears as its {@code _bucket}, {@code _sum} and {@code _count} series
 * (and Micrometer's {@code _max} gauge), never under its family name.
 */
record Scrape(String text) {

  /** A label name at the start of the label set or after a comma, before its quoted value. */
  private static final Pattern LABEL = Pattern.compile("[{,]\\s*([a-zA-Z_]\\w*)=\"");

  /** GETs {@code http://127.0.0.1:port/metrics}; fails unless the answer is 200. */
  static Scrape of(int port) {
    URI uri = URI.create("http://127.0.0.1:" + port + "/metrics");
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError(uri + " answered " + response.statusCode());
      }
      return new Scrape(response.body());
    } catch (IOException e) {
      throw new AssertionError("cannot scrape " + uri + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The names of the sample lines (comments and blank lines skipped). */
  Set<String> names() {
    return labelsByName().keySet();
  }

  /** Each sample name to the label names its lines carry. */
  Map<String, Set<String>> labelsByName() {
    Map<String, Set<String>> labels = new TreeMap<>();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < trimmed.length() && trimmed.charAt(end) != '{' && trimmed.charAt(end) != ' ') {
        end++;
      }
      Set<String> names = labels.computeIfAbsent(trimmed.substring(0, end), n -> new TreeSet<>());
      if (end < trimmed.length() && trimmed.charAt(end) == '{') {
        Matcher label = LABEL.matcher(trimmed.substring(end, trimmed.lastIndexOf('}') + 1));
        while (label.find()) {
          names.add(label.group(1));
        }
      }
    }
    return labels;
  }

  /** Whether a sample line of {@code name} carries every {@code k="v"} pair given. */
  boolean hasSample(String name, String... labels) {
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        boolean all = true;
        for (String label : labels) {
          all &= line.contains(label);
        }
        if (all) {
          return true;
        }
      }
    }
    return false;
  }
}
