package dev.lunar.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Host commands, free ports and waiting, for the integration tests of every module. Two ways to run
 * a program: {@link #run(String...)} and {@link #runWithin} for a host command whose output the
 * test reads (stderr merged in, a non-zero exit fails the test), {@link #capture} for a program
 * whose exit code and streams the test inspects itself.
 */
public final class Commands {

  private Commands() {}

  /** Runs a command; returns its output, or fails with it. */
  public static String run(String... command) {
    return runWithin(Duration.ofSeconds(60), command);
  }

  public static String runWithin(Duration limit, String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), UTF_8);
      if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " timed out:\n" + out);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited " + p.exitValue() + ":\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs {@code command} with stdin from /dev/null and returns what it printed on each stream and
   * how it exited; fails the test when it takes longer than {@code limit}.
   */
  public static ProcessResult capture(Duration limit, List<String> command) {
    return capture(limit, Map.of(), command);
  }

  /** As {@link #capture(Duration, List)}, with {@code env} added to the environment. */
  public static ProcessResult capture(
      Duration limit, Map<String, String> env, List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      Process process = builder.start();
      CompletableFuture<String> out = drain(process.getInputStream());
      CompletableFuture<String> err = drain(process.getErrorStream());
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError(
            "timed out after " + limit + ": " + String.join(" ", command) + "\n" + out.getNow(""));
      }
      return new ProcessResult(process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.getFirst(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Reads a child's stream to its end on a virtual thread, so the child never blocks on it. */
  public static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), UTF_8);
          } catch (IOException e) {
            return "";
          }
        },
        r -> Thread.ofVirtual().start(r));
  }

  /** The JDK running the tests, so child JVMs use the same Java 25. */
  public static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** Runs a command and returns its exit code, output ignored. */
  public static int exitCode(String... command) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Runs a clean-up command, ignoring how it ends. */
  public static void runQuietly(String... command) {
    try {
      new ProcessBuilder(command).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException ignored) {
      // best-effort clean-up
    }
  }

  /**
   * qemu-img bench writing {@code count} 4 KiB blocks, 4 in flight, to {@code image} (a URL, or
   * {@code --image-opts} and its options); output merged into stdout, to be redirected by the
   * caller.
   */
  public static ProcessBuilder writeBench(int count, String... image) {
    List<String> command =
        new ArrayList<>(
            List.of(
                // Line-buffered, so its "Sending ..." line shows when the image is open and the
                // requests start, not only when it exits.
                "stdbuf",
                "-oL",
                "qemu-img",
                "bench",
                "-w",
                "-c",
                String.valueOf(count),
                "-d",
                "4",
                "-s",
                "4096"));
    command.addAll(List.of(image));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  /** A loopback port free at the moment of asking, for a daemon a test starts. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path sparse(Path file, long size) {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Polls {@code value} until {@code condition} holds; fails with {@code what} and the last value.
   */
  public static <T> T await(
      String what, Duration limit, Supplier<T> value, Predicate<T> condition) {
    Instant deadline = Instant.now().plus(limit);
    T last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        last = value.get();
        if (condition.test(last)) {
          return last;
        }
      } catch (RuntimeException e) {
        // the API server or a process may be restarting; try again
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError(
        "timed out after " + limit + " waiting for " + what + "; last: " + last);
  }
}
