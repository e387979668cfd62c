package dev.lunar.agent.it;

import dev.lunar.testing.Commands;
import dev.lunar.testing.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lunar's tgtd as a real process on a free loopback port, with its own control directory and state
 * dir, plus the project's tgtadm pointed at it. Always stopped by {@link #close}.
 */
final class Daemon implements AutoCloseable {

  static final Path JAR = Path.of("target", "target-agent.jar").toAbsolutePath();

  /** The launcher production runs the agent with: its JVM flags and glibc malloc settings. */
  static final Path LAUNCHER =
      Path.of("..", "scripts", "lunar-java.sh").toAbsolutePath().normalize();

  private final Path workDir;
  private final Path stateDir;
  private final Path controlDir;
  private final Path log;
  private final Map<String, String> extraEnv = new java.util.HashMap<>();
  private int port;
  private int metricsPort;
  private Process process;
  private List<String> jvmOptions = List.of();
  private boolean viaLauncher;

  Daemon(Path workDir) {
    this.workDir = workDir;
    this.stateDir = workDir.resolve("state");
    this.controlDir = workDir.resolve("control");
    this.log = workDir.resolve("tgtd.log");
  }

  /** JVM flags for the daemon (heap limits, GC), applied from the next start on. */
  Daemon jvmOptions(String... options) {
    this.jvmOptions = List.of(options);
    return this;
  }

  /**
   * Starts the daemon through {@link #LAUNCHER} with its defaults, as production does, instead of a
   * bare JVM; from the next start on.
   */
  Daemon viaLauncher() {
    this.viaLauncher = true;
    return this;
  }

  /** Starts the daemon on a fresh free port. */
  Daemon start() {
    return start(freePort());
  }

  /** Starts (or restarts) the daemon on the given port, keeping the state dir. */
  Daemon start(int port) {
    this.port = port;
    List<String> command = new ArrayList<>();
    command.add(viaLauncher ? LAUNCHER.toString() : Commands.java());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(JAR.toString());
    command.add("tgtd");
    command.add("-f");
    command.add("-C");
    command.add("1");
    command.add("--iscsi");
    command.add("portal=127.0.0.1:" + port);
    command.add("--state-dir");
    command.add(stateDir.toString());
    if (metricsPort != 0) {
      command.add("--metrics-address");
      command.add("127.0.0.1:" + metricsPort);
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env());
    builder.environment().putAll(extraEnv);
    if (viaLauncher) {
      // the launcher runs the first java on PATH: make it this test's JDK, not the system default
      Path jdkBin = Path.of(Commands.java()).getParent();
      builder.environment().remove("LUNAR_JAVA_OPTS");
      builder.environment().merge("PATH", jdkBin.toString(), (path, bin) -> bin + ":" + path);
    }
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      Files.createDirectories(controlDir);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitPort();
    return this;
  }

  private void awaitPort() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("tgtd exited with " + process.exitValue() + ":\n" + logText());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(100);
      }
    }
    throw new AssertionError("tgtd did not open port " + port + ":\n" + logText());
  }

  Map<String, String> env() {
    return Map.of("LUNAR_CONTROL_DIR", controlDir.toString());
  }

  /** Runs the project's tgtadm against this daemon. */
  ProcessResult tgtadm(String... args) {
    List<String> command = new ArrayList<>(List.of(Commands.java(), "-jar", JAR.toString()));
    command.add("tgtadm");
    command.add("-C");
    command.add("1");
    command.addAll(List.of(args));
    return Commands.capture(Duration.ofSeconds(30), env(), command);
  }

  /** Runs tgtadm and fails the test if it fails. */
  String tgtadmOk(String... args) {
    ProcessResult result = tgtadm(args);
    if (result.exitCode() != 0) {
      throw new AssertionError("tgtadm " + String.join(" ", args) + " failed: " + result);
    }
    return result.stdout();
  }

  /** Creates target 1 with LUN 1 on {@code backing} open to every address. */
  Daemon exportDisk(String iqn, Path backing) {
    tgtadmOk("--lld", "iscsi", "--mode", "target", "--op", "new", "--tid", "1", "-T", iqn);
    addLun(1, backing);
    tgtadmOk("--lld", "iscsi", "--mode", "target", "--op", "bind", "--tid", "1", "-I", "ALL");
    return this;
  }

  /** Adds a LUN on {@code backing} to target 1. */
  Daemon addLun(int lun, Path backing) {
    logicalUnit("new", lun, "-b", backing.toString());
    return this;
  }

  /** Sets tgtadm {@code --params} (such as {@code readonly=1}) on a LUN of target 1. */
  Daemon lunParams(int lun, String params) {
    logicalUnit("update", lun, "--params", params);
    return this;
  }

  private void logicalUnit(String op, int lun, String option, String value) {
    tgtadmOk(
        "--lld",
        "iscsi",
        "--mode",
        "logicalunit",
        "--op",
        op,
        "--tid",
        "1",
        "--lun",
        Integer.toString(lun),
        option,
        value);
  }

  /** Serves metrics on a free loopback port from the next {@link #start} on. */
  Daemon withMetrics() {
    metricsPort = freePort();
    return this;
  }

  /** Sets an environment variable for the daemon process from the next {@link #start} on. */
  Daemon withEnv(String name, String value) {
    extraEnv.put(name, value);
    return this;
  }

  /** GETs a path of the metrics endpoint; returns the status code and body. */
  HttpResponse<String> metricsGet(String path) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      URI uri = URI.create("http://127.0.0.1:" + metricsPort + path);
      return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  String portal() {
    return "127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  Path workDir() {
    return workDir;
  }

  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  long pid() {
    return process.pid();
  }

  /** Kills the daemon without letting it clean up, as a crash would. */
  void kill9() {
    process.destroyForcibly();
    waitForExit();
  }

  /** Sends SIGTERM, as a service manager stopping the daemon would; does not wait. */
  void sigterm() {
    process.destroy();
  }

  /** Waits for the process to end and returns its exit code; fails if it outlives {@code limit}. */
  int awaitExit(Duration limit) {
    try {
      if (!process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        throw new AssertionError("tgtd still running " + limit + " later:\n" + logText());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  Path stateDir() {
    return stateDir;
  }

  Path controlDir() {
    return controlDir;
  }

  private void waitForExit() {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
