package dev.lunar.operator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The operator jar as a process, for tests that kill it the hard way. */
final class OperatorProcess implements AutoCloseable {

  static final Path JAR = Path.of("target/operator.jar").toAbsolutePath();

  private final Process process;

  OperatorProcess(Path dir, String kubeconfigYaml, String namespace) {
    this(dir, kubeconfigYaml, namespace, java.util.Map.of());
  }

  /** With more environment, such as LUNAR_LEADER_ELECTION and POD_NAME for a replica. */
  OperatorProcess(
      Path dir, String kubeconfigYaml, String namespace, java.util.Map<String, String> env) {
    try {
      Path kubeconfig = Files.writeString(dir.resolve("operator-kubeconfig"), kubeconfigYaml);
      ProcessBuilder builder =
          new ProcessBuilder(
              List.of(
                  ProcessHandle.current().info().command().orElse("java"), "-jar", JAR.toString()));
      builder.environment().put("KUBECONFIG", kubeconfig.toString());
      builder.environment().put("POD_NAMESPACE", namespace);
      builder.environment().put("LUNAR_METRICS_ADDRESS", "127.0.0.1:0");
      builder.environment().put("LUNAR_HEALTH_ADDRESS", "127.0.0.1:0");
      builder.environment().putAll(env);
      builder.redirectErrorStream(true);
      builder.redirectOutput(
          ProcessBuilder.Redirect.appendTo(dir.resolve("operator.log").toFile()));
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void kill9() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill9();
    }
  }
}
