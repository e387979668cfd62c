package dev.lunar.agent.it;

import dev.lunar.testing.Commands;
import dev.lunar.testing.ProcessResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real program left running while the test does something else (kills the daemon under it, say),
 * its stdout handed over line by line as it appears. Always destroyed by {@link #close}.
 */
final class RunningCommand implements AutoCloseable {

  private final List<String> command;
  private final Process process;
  private final CompletableFuture<String> stdout;
  private final CompletableFuture<String> stderr;

  private RunningCommand(List<String> command, Process process, Consumer<String> onLine) {
    this.command = command;
    this.process = process;
    this.stdout = readLines(process, onLine);
    this.stderr = Commands.drain(process.getErrorStream());
  }

  /**
   * Starts {@code command} with stdout line-buffered ({@code stdbuf -oL}), so each line reaches
   * {@code onLine} when the program prints it rather than when its buffer fills.
   */
  static RunningCommand start(
      Map<String, String> env, List<String> command, Consumer<String> onLine) {
    List<String> lineBuffered = new java.util.ArrayList<>(List.of("stdbuf", "-oL"));
    lineBuffered.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(lineBuffered);
    builder.environment().putAll(env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      return new RunningCommand(command, builder.start(), onLine);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.getFirst(), e);
    }
  }

  private static CompletableFuture<String> readLines(Process process, Consumer<String> onLine) {
    return CompletableFuture.supplyAsync(
        () -> {
          StringBuilder all = new StringBuilder();
          try (BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
              all.append(line).append('\n');
              onLine.accept(line);
            }
          } catch (IOException e) {
            // the process was destroyed; what was read so far is the answer
          }
          return all.toString();
        },
        r -> Thread.ofVirtual().start(r));
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the program to end; fails the test if it does not within {@code limit}. */
  ProcessResult await(Duration limit) {
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError(
            "still running after " + limit + ": " + command.getFirst() + "\n" + stderr.getNow(""));
      }
      return new ProcessResult(process.exitValue(), stdout.join(), stderr.join());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Kills the program (if still running) and returns what it printed. */
  ProcessResult kill() {
    close();
    return new ProcessResult(
        process.isAlive() ? -1 : process.exitValue(), stdout.join(), stderr.join());
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
