package dev.lunar.chart;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real single-node cluster of {@code scripts/cluster.sh} (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, kube-proxy, kubelet on containerd), with Lunar's images
 * built by {@code scripts/images.sh} and imported into it. {@link #close()} stops it and fails
 * unless the host is left as it was found.
 */
final class NodeCluster implements AutoCloseable {

  /** Where the components' logs stay after the cluster is gone, for a failed run's reader. */
  static final Path LOGS = Path.of("target/node-cluster-logs").toAbsolutePath();

  private final Map<String, String> env;
  private final KubernetesClient client;
  private final String imageTag;

  private NodeCluster(Map<String, String> env, String imageTag) {
    this.env = env;
    this.imageTag = imageTag;
    this.client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(readString(Path.of(env.get("KUBECONFIG")))))
            .build();
  }

  /** Builds the images, starts the cluster and waits for its node to be Ready. */
  static NodeCluster start(Path work) {
    Path images = work.resolve("lunar-images.tar");
    String tag = "node-it";
    script(Duration.ofMinutes(10), Map.of("LUNAR_IMAGE_TAG", tag), "images.sh", "--save", images);
    try {
      script(Duration.ofMinutes(5), Map.of(), "cluster.sh", "up", images);
    } catch (AssertionError e) {
      // up stops what it started when it fails; the logs say why
      throw new AssertionError(e.getMessage() + "\ncomponent logs: " + LOGS, e);
    }
    return new NodeCluster(readEnv(stateDir().resolve("cluster.env")), tag);
  }

  /**
   * Whether this machine can run a node at all: as root. Missing binaries or packages are a failure
   * with scripts/cluster.sh's message, not a skip: `./lunar test` installs them.
   */
  static boolean runnable() {
    return "root".equals(System.getProperty("user.name"));
  }

  KubernetesClient client() {
    return client;
  }

  String kubeconfigYaml() {
    return readString(Path.of(env.get("KUBECONFIG")));
  }

  String nodeName() {
    return env.get("LUNAR_CLUSTER_NODE");
  }

  /** The node's address: where host-network pods, the agent's portal among them, listen. */
  String nodeIp() {
    return env.get("LUNAR_CLUSTER_NODE_IP");
  }

  /** The tag both Lunar images carry in this cluster's containerd. */
  String imageTag() {
    return imageTag;
  }

  /** A directory on the host that {@link #close()} removes: for hostPath volumes of the tests. */
  static Path stateDir() {
    return Path.of("/var/lib/lunar-cluster");
  }

  @Override
  public void close() {
    client.close();
    script(Duration.ofMinutes(3), Map.of(), "cluster.sh", "down");
  }

  /** Runs a script of scripts/; fails with its output unless it exits 0 in time. */
  private static void script(
      Duration limit, Map<String, String> extraEnv, String name, Object... args) {
    Path scripts = LunarChart.repositoryRoot().resolve("scripts");
    List<String> command =
        Stream.concat(
                Stream.of(scripts.resolve(name).toString()),
                Arrays.stream(args).map(String::valueOf))
            .toList();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // The JDK running the tests is the JDK 25 that images.sh jlinks the image runtime from.
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("LUNAR_CLUSTER_DIR", stateDir().toString());
    builder.environment().put("LUNAR_CLUSTER_LOGS", LOGS.toString());
    builder.environment().putAll(extraEnv);
    // To a file, not a pipe: a daemon a script leaves running must not keep the test waiting.
    Path log = LOGS.resolve(name + "-" + args[0] + ".out");
    try {
      Files.createDirectories(LOGS);
      Process process = builder.redirectOutput(log.toFile()).start();
      boolean exited = process.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly();
      }
      String out = Files.readString(log);
      System.out.print(out);
      if (!exited || process.exitValue() != 0) {
        throw new AssertionError(
            String.join(" ", command)
                + (exited ? " exited " + process.exitValue() : " timed out")
                + ":\n"
                + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    }
  }

  private static Map<String, String> readEnv(Path file) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : readString(file).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return env;
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
