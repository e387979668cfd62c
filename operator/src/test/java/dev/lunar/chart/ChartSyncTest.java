package dev.lunar.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Keeps the three copies of what is installed equal: the generated CRDs at {@code crds/}, the
 * chart's {@code helm/lunar/crds/}, and the plain manifests at {@code deploy/lunar.yaml} (the
 * chart's default render). A difference fails with the one command that rewrites the copies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // a sync copies the CRDs before rendering
class ChartSyncTest {

  static final String SYNC_PROPERTY = "lunar.chart.sync";

  private static final String FIX =
      "run: ./mvnw -B -o -pl operator test -Dtest=ChartSyncTest -D" + SYNC_PROPERTY + "=true";

  private static final String DEPLOY_HEADER =
      """
      # Generated from helm/lunar with its default values (release "lunar", namespace "lunar-system").
      # Do not edit: change the chart, then %s
      """
          .formatted(FIX.substring("run: ".length()));

  @Test
  @Order(1)
  void chartCrdsEqualTheGeneratedCrds() throws IOException {
    Path root = LunarChart.repositoryRoot();
    Map<String, String> generated = yamlFiles(root.resolve("crds"));
    Path chartCrds = LunarChart.chartDirectory().resolve("crds");
    if (syncRequested()) {
      Files.createDirectories(chartCrds);
      for (String stale : yamlFiles(chartCrds).keySet()) {
        Files.delete(chartCrds.resolve(stale));
      }
      for (Map.Entry<String, String> crd : generated.entrySet()) {
        Files.writeString(chartCrds.resolve(crd.getKey()), crd.getValue());
      }
    }

    assertThat(yamlFiles(chartCrds))
        .as("helm/lunar/crds/ must hold exactly the files of crds/; " + FIX)
        .isEqualTo(generated);
  }

  @Test
  @Order(2)
  void plainManifestsEqualTheChartsDefaultRender() throws IOException {
    Path manifests = LunarChart.repositoryRoot().resolve("deploy/lunar.yaml");
    String expected = DEPLOY_HEADER + LunarChart.renderDefaultWithCrds();
    if (syncRequested()) {
      Files.writeString(manifests, expected);
    }

    assertThat(Files.exists(manifests)).as("deploy/lunar.yaml is missing; " + FIX).isTrue();
    assertThat(Files.readString(manifests))
        .as("deploy/lunar.yaml differs from the chart's default render; " + FIX)
        .isEqualTo(expected);
  }

  private static boolean syncRequested() {
    return Boolean.getBoolean(SYNC_PROPERTY);
  }

  /** File name to content of every *.yaml directly in {@code dir}; empty when it does not exist. */
  private static Map<String, String> yamlFiles(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (Stream<Path> list = Files.list(dir)) {
      for (Path file : list.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        files.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    return files;
  }
}
