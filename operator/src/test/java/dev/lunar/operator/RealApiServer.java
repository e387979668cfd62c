package dev.lunar.operator;

import dev.lunar.testing.Commands;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real kube-apiserver for the tests: the official kube-apiserver and etcd, started through
 * fabric8's kube-api-test in offline mode. The binaries are the ones {@code scripts/setup.sh}
 * builds from the Go module in {@code src/test/go/kubernetes}; this class reads the Kubernetes
 * version from that module's go.mod, so the test and the build cannot disagree about which release
 * runs.
 *
 * <p>The chart tests, which only send objects with dry-run, take any API server through {@link
 * #startOrConnect()}: the cluster of {@code $LUNAR_KUBECONFIG} (an admin kubeconfig), else those
 * binaries, else the newest other release built beside them; {@link #find()} says beforehand
 * whether there is one, so they can skip with {@link #howToProvide()}.
 */
public final class RealApiServer implements AutoCloseable {

  /**
   * The Go module whose release runs: {@code $LUNAR_KUBE_MODULE} under src/test/go, by default
   * {@code kubernetes} (the node's release); {@code ./lunar test} runs the API-server suites a
   * second time with {@code kube-apiserver-newest}.
   */
  private static final Path GO_MOD =
      Path.of("src/test/go")
          .resolve(Objects.requireNonNullElse(System.getenv("LUNAR_KUBE_MODULE"), "kubernetes"))
          .resolve("go.mod");

  private static final Path CRDS = Path.of("../crds");

  /** kube-api-test's own default, set here so {@link MidnightGuard} knows it. */
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  /** A kubeconfig of any cluster admin account, for {@link #startOrConnect()}. */
  static final String KUBECONFIG_ENV = "LUNAR_KUBECONFIG";

  private static final Pattern KUBERNETES_REQUIREMENT =
      Pattern.compile("(?m)^\\s*k8s\\.io/kubernetes v([0-9.]+)\\s*$");

  private final KubeAPIServer server;
  private final KubernetesClient client;
  private final String kubeConfigYaml;
  private final Path binaries;
  private final Path workDir;

  /**
   * @param server the API server started here, or null for a cluster only connected to
   * @param binaries where kubectl is, or null for a cluster only connected to
   * @param workDir kubectl's kubeconfig and cache, or null for a cluster only connected to
   */
  private RealApiServer(
      KubeAPIServer server,
      KubernetesClient client,
      String kubeConfigYaml,
      Path binaries,
      Path workDir) {
    this.server = server;
    this.client = client;
    this.kubeConfigYaml = kubeConfigYaml;
    this.binaries = binaries;
    this.workDir = workDir;
  }

  /** Starts etcd and the API server; fails with a pointer to the setup script if not built. */
  public static RealApiServer start() {
    String version = kubernetesVersion();
    Path binaries = binariesOf(version);
    if (!Files.isExecutable(binaries.resolve("kube-apiserver"))) {
      throw new IllegalStateException(
          "no kube-apiserver in "
              + binaries
              + "; build it once with scripts/setup.sh (it compiles the official Go modules)");
    }
    return start(binaries);
  }

  /**
   * The cluster of {@code $LUNAR_KUBECONFIG}, else the API server of {@link #start()}, else one of
   * another release built beside it; fails with {@link #howToProvide()} when there is none.
   */
  public static RealApiServer startOrConnect() {
    String kubeconfig = System.getenv(KUBECONFIG_ENV);
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      String yaml = read(Path.of(kubeconfig));
      return new RealApiServer(null, clientFor(yaml), yaml, null, null);
    }
    return start(anyBinaries().orElseThrow(() -> new IllegalStateException(howToProvide())));
  }

  /** What {@link #startOrConnect()} would use, or empty. */
  public static Optional<String> find() {
    String kubeconfig = System.getenv(KUBECONFIG_ENV);
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      return Optional.of(KUBECONFIG_ENV + "=" + kubeconfig);
    }
    return anyBinaries().map(Path::toString);
  }

  /** How to make {@link #find()} find an API server, for a test that skips without one. */
  public static String howToProvide() {
    return "no real kube-apiserver: build the official binaries once with scripts/setup.sh (they"
        + " land in "
        + binariesOf(kubernetesVersion())
        + ") or point "
        + KUBECONFIG_ENV
        + " at a cluster's kubeconfig";
  }

  private static RealApiServer start(Path binaries) {
    String directoryName = binaries.getFileName().toString();
    String version = directoryName.substring(0, directoryName.indexOf("-linux-"));
    KubeAPIServer server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(testDirectory().toString())
                .withApiServerVersion(version)
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .withStartupTimeout((int) STARTUP_TIMEOUT.toMillis())
                .build());
    MidnightGuard.awaitSafeStart(STARTUP_TIMEOUT);
    try {
      server.start();
    } catch (RuntimeException e) {
      // A half-started etcd or kube-apiserver must not outlive the test.
      server.stop();
      throw e;
    }
    String kubeconfigYaml = server.getKubeConfigYaml();
    KubernetesClient client = clientFor(kubeconfigYaml);
    try {
      // kubectl's kubeconfig and discovery cache, removed on close.
      Path workDir = Files.createTempDirectory("lunar-kubectl");
      Files.writeString(workDir.resolve("kubeconfig"), kubeconfigYaml);
      return new RealApiServer(server, client, kubeconfigYaml, binaries, workDir);
    } catch (IOException e) {
      client.close();
      server.stop();
      throw new UncheckedIOException(e);
    }
  }

  private static KubernetesClient clientFor(String kubeconfigYaml) {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfigYaml)).build();
  }

  /** Runs the kubectl built with the server against it; returns its output, or fails with it. */
  public String kubectl(String... args) {
    if (binaries == null) {
      throw new IllegalStateException("no kubectl for a cluster only connected to");
    }
    List<String> command = new ArrayList<>();
    command.add(binaries.resolve("kubectl").toString());
    command.add("--kubeconfig=" + workDir.resolve("kubeconfig"));
    command.add("--cache-dir=" + workDir.resolve("cache"));
    command.addAll(List.of(args));
    return Commands.runWithin(Duration.ofSeconds(30), command.toArray(String[]::new));
  }

  /**
   * The directory of this server's release binaries (kube-controller-manager is beside
   * kube-apiserver), or null for a cluster only connected to.
   */
  public Path binaries() {
    return binaries;
  }

  /** A kubeconfig with cluster-admin rights, for processes (the agent) to connect with. */
  public String kubeConfigYaml() {
    return kubeConfigYaml;
  }

  /** A client with cluster-admin rights on this server. */
  public KubernetesClient client() {
    return client;
  }

  /** Creates every CRD committed at {@code crds/*.yaml} and waits until each is established. */
  public void applyCommittedCrds() {
    for (Path file : committedCrds()) {
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(file.toFile()).item();
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(RealApiServer::established, 30, TimeUnit.SECONDS);
      awaitDiscovery(crd);
    }
  }

  /**
   * Established is not yet discoverable: kubectl resolves short names and categories through the
   * discovery documents, which the server refreshes a moment later.
   */
  private void awaitDiscovery(CustomResourceDefinition crd) {
    String groupVersion =
        crd.getSpec().getGroup() + "/" + crd.getSpec().getVersions().get(0).getName();
    String plural = crd.getSpec().getNames().getPlural();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      APIResourceList resources = client.getApiResources(groupVersion);
      if (resources != null
          && resources.getResources().stream().anyMatch(r -> r.getName().equals(plural))) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(plural + " did not appear in discovery within 30 s");
  }

  @Override
  public void close() {
    client.close();
    if (server == null) {
      return;
    }
    server.stop();
    try (Stream<Path> files = Files.walk(workDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
  }

  private static List<Path> committedCrds() {
    try (Stream<Path> files = Files.list(CRDS)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Kubernetes release the API-server tests run, from the Go module that builds it. */
  public static String kubernetesVersion() {
    try {
      Matcher m = KUBERNETES_REQUIREMENT.matcher(Files.readString(GO_MOD));
      if (!m.find()) {
        throw new IllegalStateException(GO_MOD + " does not require k8s.io/kubernetes");
      }
      return m.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where kube-api-test keeps the binaries of {@code version}. */
  private static Path binariesOf(String version) {
    return testDirectory().resolve("k8s").resolve(version + "-linux-" + arch());
  }

  /** The binaries of the tests' release when built, else of the newest other release built. */
  private static Optional<Path> anyBinaries() {
    Path preferred = binariesOf(kubernetesVersion());
    if (Files.isExecutable(preferred.resolve("kube-apiserver"))) {
      return Optional.of(preferred);
    }
    Path k8s = testDirectory().resolve("k8s");
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

  /** Where setup.sh builds the CSI test tools (csi-sanity, the sidecars): beside the binaries. */
  public static Path csiTools() {
    return testDirectory().resolve("csi-tools");
  }

  private static Path testDirectory() {
    String configured = System.getenv("KUBE_API_TEST_DIR");
    return configured != null
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".kubeapitest");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** kube-api-test's platform suffix: arm64, ppc64le, otherwise amd64. */
  private static String arch() {
    return switch (System.getProperty("os.arch")) {
      case "aarch64" -> "arm64";
      case "ppc64le", "ppc64" -> "ppc64le";
      default -> "amd64";
    };
  }
}
