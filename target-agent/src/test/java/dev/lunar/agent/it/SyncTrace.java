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

  /**
   * Attaches to {@code pid}, writing the trace of each thread to {@code out} plus "." and the
   * thread's id; returns once attached.
   */
  static SyncTrace attach(long pid, Path out) throws IOException, InterruptedException {
    RunningCommand strace =
        RunningCommand.start(
            Map.of(),
            List.of(
                "strace",
                "-f",
                // one file per thread: in one shared file a call that another thread's line
                // interrupts is split into "<unfinished ...>" and "<... resumed>" halves
                "-ff",
                "-y",
                "-e",
                "trace=fsync,fdatasync",
                "-o",
                out.toString(),
                "-p",
                Long.toString(pid)),
            line -> {});
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    // strace attaches thread by thread; a sync on a thread not yet traced would go unseen, so wait
    // until every thread of the process has a tracer (on a loaded machine this takes a while).
    while (!allThreadsTraced(pid) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(allThreadsTraced(pid)).as("strace attached to every thread of %d", pid).isTrue();
    return new SyncTrace(strace, out);
  }

  /** Successful fsync or fdatasync calls on {@code file} so far. */
  long syncsOf(Path file) throws IOException {
    return syncs("<" + file.toRealPath() + ">");
  }

  /**
   * Successful fsync or fdatasync calls on files whose path contains {@code part}; for files that
   * are written under a temporary name and then renamed.
   */
  long syncsOfPathsContaining(String part) throws IOException {
    return syncs(part);
  }

  private long syncs(String name) throws IOException {
    long syncs = 0;
    try (var traces = Files.list(out.getParent())) {
      for (Path trace : traces.toList()) {
        if (trace.getFileName().toString().startsWith(out.getFileName() + ".")) {
          syncs +=
              Files.readAllLines(trace).stream()
                  .filter(l -> l.contains("sync(") && l.contains(name) && l.contains("= 0"))
                  .count();
        }
      }
    }
    return syncs;
  }

  /** Waits for strace to end after its process exited, so the trace is complete. */
  void awaitEnd() {
    strace.await(Duration.ofSeconds(10));
  }

  private static boolean allThreadsTraced(long pid) throws IOException {
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          if (tracerPid(task.resolve("status")) == 0) {
            return false;
          }
        } catch (IOException gone) {
          // a thread that ended meanwhile needs no tracer
        }
      }
    }
    return true;
  }

  private static long tracerPid(Path status) throws IOException {
    for (String line : Files.readAllLines(status)) {
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
