package dev.lunar.operator;

import dev.lunar.testing.Commands;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second kube-apiserver process on the etcd of a {@link RealApiServer}, on its own port, that a
 * test can stop and start again: a real API server outage for whatever connects to it, while the
 * test keeps watching the cluster through the first one. (Killing the first one is not an option:
 * kube-api-test then stops etcd and deletes its data.) It runs with the first one's command line,
 * certificates and etcd, so the first one's kubeconfig with the port changed connects to it.
 */
final class SecondApiServer implements AutoCloseable {

  private final List<String> command;
  private final String kubeConfigYaml;
  private final Path log;
  private Process process;

  private SecondApiServer(List<String> command, String kubeConfigYaml, Path log) {
    this.command = command;
    this.kubeConfigYaml = kubeConfigYaml;
    this.log = log;
  }

  /** Copies the running kube-apiserver's command line with a free port; not started yet. */
  static SecondApiServer besides(RealApiServer first, Path dir) {
    ProcessHandle running =
        ProcessHandle.current()
            .descendants()
            .filter(p -> p.info().command().orElse("").endsWith("kube-apiserver"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no kube-apiserver child process"));
    List<String> command = new ArrayList<>(commandLine(running.pid()));
    int at = command.indexOf("--secure-port");
    if (at < 0 || at + 1 >= command.size()) {
      throw new IllegalStateException("kube-apiserver without --secure-port: " + command);
    }
    String oldServer = "https://127.0.0.1:" + command.get(at + 1);
    if (!first.kubeConfigYaml().contains(oldServer)) {
      throw new IllegalStateException("the kubeconfig does not point at " + oldServer);
    }
    int port = Commands.freePort();
    command.set(at + 1, String.valueOf(port));
    String kubeconfig = first.kubeConfigYaml().replace(oldServer, "https://127.0.0.1:" + port);
    return new SecondApiServer(command, kubeconfig, dir.resolve("second-apiserver.log"));
  }

  /** /proc's copy of the arguments: NUL-separated, complete (ProcessHandle.Info may truncate). */
  private static List<String> commandLine(long pid) {
    try {
      String raw =
          new String(
              Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")),
              StandardCharsets.UTF_8);
      return List.of(raw.split("\0"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A kubeconfig with cluster-admin rights on this server. */
  String kubeConfigYaml() {
    return kubeConfigYaml;
  }

  /** Starts the process and returns once its /readyz answers ok. */
  SecondApiServer start() {
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitReady();
    return this;
  }

  private void awaitReady() {
    Config config = Config.fromKubeconfig(kubeConfigYaml);
    config.setRequestRetryBackoffLimit(0);
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the second kube-apiserver exited:\n" + log());
        }
        try {
          if ("ok".equals(client.raw("/readyz"))) {
            return;
          }
        } catch (RuntimeException notYet) {
          // connection refused or 500 while it starts
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("the second kube-apiserver not ready in 60 s:\n" + log());
  }

  /** Stops the process (SIGTERM, then SIGKILL); etcd and the first server stay up. */
  void stop() {
    ChildProcesses.stop(process);
  }

  private String log() {
    try {
      String text = Files.readString(log);
      return text.substring(Math.max(0, text.length() - 4000));
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    stop();
  }
}
