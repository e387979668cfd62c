package dev.lunar.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lunar.operator.RealApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sends the chart's renders and the deploy/ examples to the real kube-apiserver with server-side
 * dry-run: the server's own validation, defaulting and admission accept every object, without
 * anything being stored (except the namespaces and, for the examples, the CRDs they need).
 */
class ChartDryRunIT {

  private static RealApiServer server;

  @BeforeAll
  static void startApiServer() {
    assumeTrue(RealApiServer.find().isPresent(), RealApiServer::howToProvide);
    server = RealApiServer.startOrConnect();
    ensureNamespace(LunarChart.NAMESPACE);
  }

  @AfterAll
  static void stopApiServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void defaultRenderWithCrdsIsAcceptedByTheApiServer() {
    List<HasMetadata> objects = load(LunarChart.renderDefaultWithCrds());

    assertThat(objects).extracting(HasMetadata::getKind).contains("DaemonSet", "Deployment");
    objects.forEach(ChartDryRunIT::dryRunCreate);
  }

  @Test
  void productionRenderIsAcceptedByTheApiServer() {
    ensureNamespace("monitoring");
    List<HasMetadata> objects =
        load(LunarChart.render(LunarChart.testValues("values-production.yaml"))).stream()
            // ServiceMonitor and PrometheusRule need the Prometheus Operator's CRDs, which a bare
            // API server lacks; ChartRenderTest checks their content.
            .filter(o -> !o.getApiVersion().startsWith("monitoring.coreos.com/"))
            .toList();

    assertThat(objects).extracting(HasMetadata::getKind).contains("ConfigMap", "DaemonSet");
    objects.forEach(ChartDryRunIT::dryRunCreate);
  }

  @Test
  void examplesAreAcceptedOnceTheCrdsAreInstalled() throws IOException {
    List<Path> crds = yamlFiles(LunarChart.repositoryRoot().resolve("crds"));
    assumeTrue(!crds.isEmpty(), "crds/ holds no generated CRD yet; the examples need them");
    for (Path crd : crds) {
      installCrd(crd);
    }
    ensureNamespace("lunar-demo");

    for (Path example : yamlFiles(LunarChart.repositoryRoot().resolve("deploy/examples"))) {
      if (example.getFileName().toString().equals("kustomization.yaml")) {
        continue;
      }
      load(Files.readString(example)).stream()
          .filter(o -> !o.getKind().equals("Namespace"))
          .forEach(ChartDryRunIT::dryRunCreate);
    }
  }

  private static void dryRunCreate(HasMetadata object) {
    assertThatCode(() -> client().resource(object).dryRun().create())
        .as("server-side dry-run of %s %s", object.getKind(), object.getMetadata().getName())
        .doesNotThrowAnyException();
  }

  private static void installCrd(Path file) {
    var crds = client().apiextensions().v1().customResourceDefinitions();
    CustomResourceDefinition crd = crds.load(file.toFile()).item();
    if (crds.withName(crd.getMetadata().getName()).get() == null) {
      crds.resource(crd).create();
    }
    crds.withName(crd.getMetadata().getName())
        .waitUntilCondition(
            c ->
                c != null
                    && c.getStatus() != null
                    && c.getStatus().getConditions() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            k -> k.getType().equals("Established") && k.getStatus().equals("True")),
            30,
            TimeUnit.SECONDS);
  }

  private static void ensureNamespace(String name) {
    if (client().namespaces().withName(name).get() == null) {
      client()
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
  }

  private static List<HasMetadata> load(String yaml) {
    return client().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
  }

  private static List<Path> yamlFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  private static KubernetesClient client() {
    return server.client();
  }
}
