package dev.lunar.agent.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs real programs (initiators, the agent jar) with a time limit, capturing their output. */
final class Commands {

  private Commands() {}

  static ProcessResult run(Duration limit, List<String> command) {
    return run(limit, Map.of(), command);
  }

  static ProcessResult run(Duration limit, Map<String, String> env, List<String> command) {
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

  static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        },
        r -> Thread.ofVirtual().start(r));
  }

  /** The JDK running the tests, so child JVMs use the same Java 25. */
  static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }
}
