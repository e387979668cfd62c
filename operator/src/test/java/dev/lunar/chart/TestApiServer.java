package dev.lunar.chart;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A real kube-apiserver for the chart tests, from the first of:
 *
 * <ol>
 *   <li>{@code LUNAR_KUBECONFIG}: a kubeconfig file of any cluster admin account (the server must
 *       allow creating namespaces; objects are otherwise only sent with dry-run);
 *   <li>the official kube-apiserver and etcd binaries that {@code scripts/setup.sh} builds for
 *       fabric8's kube-api-test, under {@code $KUBE_API_TEST_DIR} (default {@code ~/.kubeapitest})
 *       {@code /k8s/<version>-linux-<arch>/}, started here in offline mode.
 * </ol>
 *
 * When neither is there, {@link #find()} says why, so the tests can skip with that message.
 */
final class TestApiServer implements AutoCloseable {

  static final String KUBECONFIG_ENV = "LUNAR_KUBECONFIG";

  private final KubeAPIServer started;
  private final KubernetesClient client;

  private TestApiServer(KubeAPIServer started, KubernetesClient client) {
    this.started = started;
    this.client = client;
  }

  /** What {@link #start()} would use, or empty. */
  static Optional<String> find() {
    String kubeconfig = System.getenv(KUBECONFIG_ENV);
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      return Optional.of(KUBECONFIG_ENV + "=" + kubeconfig);
    }
    return binaries().map(Path::toString);
  }

  static String howToProvide() {
    return "no real kube-apiserver: build the official binaries once with scripts/setup.sh (they land in "
        + testDirectory()
            .resolve("k8s")
            .resolve(LunarChart.KUBE_VERSION.substring(1) + "-linux-" + arch())
        + ") or point "
        + KUBECONFIG_ENV
        + " at a cluster's kubeconfig";
  }

  static TestApiServer start() {
    String kubeconfig = System.getenv(KUBECONFIG_ENV);
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      return new TestApiServer(null, clientFor(read(Path.of(kubeconfig))));
    }
    Path binaries = binaries().orElseThrow(() -> new IllegalStateException(howToProvide()));
    String directoryName = binaries.getFileName().toString();
    String version = directoryName.substring(0, directoryName.indexOf("-linux-"));
    KubeAPIServer server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(testDirectory().toString())
                .withApiServerVersion(version)
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .build());
    try {
      server.start();
    } catch (RuntimeException e) {
      // A half-started etcd or kube-apiserver must not outlive the test.
      server.stop();
      throw e;
    }
    return new TestApiServer(server, clientFor(server.getKubeConfigYaml()));
  }

  KubernetesClient client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
    if (started != null) {
      started.stop();
    }
  }

  private static KubernetesClient clientFor(String kubeconfigYaml) {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfigYaml)).build();
  }

  /** The binaries of the chart's Kubernetes version when built, else of any built version. */
  private static Optional<Path> binaries() {
    Path k8s = testDirectory().resolve("k8s");
    Path preferred = k8s.resolve(LunarChart.KUBE_VERSION.substring(1) + "-linux-" + arch());
    if (Files.isExecutable(preferred.resolve("kube-apiserver"))) {
      return Optional.of(preferred);
    }
    if (!Files.isDirectory(k8s)) {
      return Optional.empty();
    }
    try (var versions = Files.list(k8s)) {
      return versions
          .filter(dir -> dir.getFileName().toString().endsWith("-linux-" + arch()))
          .filter(dir -> Files.isExecutable(dir.resolve("kube-apiserver")))
          .filter(dir -> Files.isExecutable(dir.resolve("etcd")))
          .sorted()
          .reduce((first, second) -> second);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path testDirectory() {
    String configured = System.getenv("KUBE_API_TEST_DIR");
    return configured != null
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".kubeapitest");
  }

  /** kube-api-test's platform suffix. */
  private static String arch() {
    return switch (System.getProperty("os.arch")) {
      case "aarch64" -> "arm64";
      case "ppc64le" -> "ppc64le";
      default -> "amd64";
    };
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
