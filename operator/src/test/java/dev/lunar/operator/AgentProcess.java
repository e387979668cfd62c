package dev.lunar.operator;

import dev.lunar.testing.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node agent as a real process ({@code target-agent.jar node}) against a test API server, on a
 * free loopback portal. Restartable on the same state dir; always stopped by {@link #close}.
 */
public final class AgentProcess implements AutoCloseable {

  public static final Path JAR =
      Path.of("../target-agent/target/target-agent.jar").toAbsolutePath();

  private final Path dir;
  private final String nodeName;
  private final String namespace;
  private final Path kubeconfig;
  private final int port;
  private final java.util.Map<String, String> env = new java.util.HashMap<>();
  private Process process;

  public AgentProcess(Path dir, String nodeName, String namespace, String kubeconfigYaml) {
    this.dir = dir;
    this.nodeName = nodeName;
    this.namespace = namespace;
    this.port = Commands.freePort();
    try {
      this.kubeconfig = Files.writeString(dir.resolve("kubeconfig"), kubeconfigYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An environment variable for the agent, such as a short LUNAR_HEARTBEAT_SECONDS. */
  public AgentProcess withEnv(String name, String value) {
    env.put(name, value);
    return this;
  }

  public AgentProcess start() {
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                JAR.toString(),
                "node",
                "--node-name",
                nodeName,
                "--namespace",
                namespace,
                "--state-dir",
                dir.resolve("state").toString(),
                "-C",
                "2",
                "--iscsi",
                "portal=127.0.0.1:" + port));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("LUNAR_CONTROL_DIR", dir.resolve("control").toString());
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("agent.log").toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public String portal() {
    return "127.0.0.1:" + port;
  }

  public String log() {
    try {
      return Files.readString(dir.resolve("agent.log"));
    } catch (IOException e) {
      return "";
    }
  }

  /** A crash, as far as the agent can tell. */
  void kill9() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    ChildProcesses.stop(process);
  }
}
