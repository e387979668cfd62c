package dev.lunar.chart;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * One Prometheus text exposition and the metric names of its sample lines. Those are the names
 * PromQL sees: a histogram appears as its {@code _bucket}, {@code _sum} and {@code _count} series
 * (and Micrometer's {@code _max} gauge), never under its family name.
 */
record Scrape(String text) {

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
    Set<String> names = new TreeSet<>();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < trimmed.length() && trimmed.charAt(end) != '{' && trimmed.charAt(end) != ' ') {
        end++;
      }
      names.add(trimmed.substring(0, end));
    }
    return names;
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
