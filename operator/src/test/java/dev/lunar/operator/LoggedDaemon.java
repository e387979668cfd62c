package dev.lunar.operator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A daemon a test starts (kube-controller-manager, a CSI sidecar), its output appended to a log
 * file rather than a pipe, so it never blocks on a full pipe nor keeps the test waiting. Always
 * stopped by {@link #close}.
 */
public final class LoggedDaemon implements AutoCloseable {

  private final String name;
  private final Path log;
  private final Process process;

  private LoggedDaemon(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  /** Starts {@code command}; its stdout and stderr go to {@code log}. */
  public static LoggedDaemon start(Path log, List<String> command) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      return new LoggedDaemon(
          Path.of(command.getFirst()).getFileName().toString(), log, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.getFirst(), e);
    }
  }

  /** Fails with the end of the log when the daemon has exited. */
  public void assertRunning() {
    if (!process.isAlive()) {
      throw new AssertionError(
          name + " exited " + process.exitValue() + "; the end of its log:\n" + tail(40));
    }
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** The last {@code lines} lines of the log. */
  public String tail(int lines) {
    List<String> all = log().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  @Override
  public String toString() {
    return name;
  }

  @Override
  public void close() {
    ChildProcesses.stop(process);
  }
}
