package dev.lunar.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.lunar.operator.RealApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart at {@code helm/lunar} as the tests see it: where it and its neighbours live, and its
 * render (through Helm itself, bundled by helm-java) parsed into objects.
 */
final class LunarChart {

  /** Release name and namespace of every test render, and of the plain manifests in deploy/. */
  static final String RELEASE = "lunar";

  static final String NAMESPACE = "lunar-system";

  /**
   * The Kubernetes version renders assume (Helm's offline default is far older than the chart's
   * kubeVersion floor); the release the project's test API server runs.
   */
  static final String KUBE_VERSION = "v" + RealApiServer.kubernetesVersion();

  private LunarChart() {}

  /** The repository root: the nearest directory upwards that holds the chart. */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("helm/lunar/Chart.yaml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "no helm/lunar/Chart.yaml above " + Path.of("").toAbsolutePath());
  }

  static Path chartDirectory() {
    return repositoryRoot().resolve("helm/lunar");
  }

  /** A values file of the chart tests, under src/test/resources/chart. */
  static Path testValues(String fileName) {
    return repositoryRoot().resolve("operator/src/test/resources/chart").resolve(fileName);
  }

  /** Renders with the chart's default values, CRDs included (like {@code helm template}). */
  static String renderDefault() {
    return template().call();
  }

  /**
   * The chart's CRDs followed by its default render, the way {@code helm template --include-crds}
   * prints them (helm-java's template leaves CRDs out, so they are added here).
   */
  static String renderDefaultWithCrds() {
    StringBuilder out = new StringBuilder();
    Path crds = chartDirectory().resolve("crds");
    if (Files.isDirectory(crds)) {
      try (Stream<Path> files = Files.list(crds)) {
        for (Path crd : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
          String content = Files.readString(crd);
          out.append("---\n# Source: lunar/crds/").append(crd.getFileName()).append('\n');
          out.append(content.startsWith("---\n") ? content.substring(4) : content);
          if (!content.endsWith("\n")) {
            out.append('\n');
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out.append(renderDefault()).toString();
  }

  /** Renders with the chart's defaults overlaid by {@code valuesFile}. */
  static String render(Path valuesFile) {
    return template().withValuesFile(valuesFile).call();
  }

  /** Renders and parses; one entry per YAML document that holds an object. */
  static Rendered renderedDefault() {
    return Rendered.parse(renderDefault());
  }

  static Rendered rendered(Path valuesFile) {
    return Rendered.parse(render(valuesFile));
  }

  private static TemplateCommand template() {
    return new Helm(chartDirectory())
        .template()
        .withName(RELEASE)
        .withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION);
  }

  /** Parses a multi-document YAML stream into maps, skipping empty documents. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> parseDocuments(String yaml) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(16 * 1024 * 1024);
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object document : new Yaml(options).loadAll(yaml)) {
      if (document instanceof Map<?, ?> map) {
        documents.add((Map<String, Object>) map);
      }
    }
    return documents;
  }
}
