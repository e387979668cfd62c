package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * strace attached to every thread of a running daemon, recording its fsync and fdatasync calls with
 * the path of the file each one was for ({@code -y}). A kill leaves the kernel's page cache intact,
 * so this is how a test sees whether the target asked for durability at all. Stopped by {@link
 * #close} or when the traced process exits.
 */
final class SyncTrace implements AutoCloseable {

  private final RunningCommand strace;
  private final Path out;

  private SyncTrace(RunningCommand strace, Path out) {
    this.strace = strace;
    this.out = out;
  }

  /** Attaches to {@code pid}, writing the trace to {@code out}; returns once attached. */
  static SyncTrace attach(long pid, Path out) throws IOException, InterruptedException {
    RunningCommand strace =
        RunningCommand.start(
            Map.of(),
            List.of(
                "strace",
                "-f",
                "-y",
                "-e",
                "trace=fsync,fdatasync",
                "-o",
                out.toString(),
                "-p",
                Long.toString(pid)),
            line -> {});
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (tracerPid(pid) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(tracerPid(pid)).as("strace attached to %d", pid).isPositive();
    Thread.sleep(500); // the other threads are attached right after the first
    return new SyncTrace(strace, out);
  }

  /** Successful fsync or fdatasync calls on {@code file} so far. */
  long syncsOf(Path file) throws IOException {
    if (!Files.exists(out)) {
      return 0;
    }
    String name = "<" + file.toRealPath() + ">";
    return Files.readAllLines(out).stream()
        .filter(l -> l.contains("sync(") && l.contains(name) && l.contains("= 0"))
        .count();
  }

  /** Waits for strace to end after its process exited, so the trace is complete. */
  void awaitEnd() {
    strace.await(Duration.ofSeconds(10));
  }

  private static long tracerPid(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("TracerPid:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }

  @Override
  public void close() {
    strace.close();
  }
}
