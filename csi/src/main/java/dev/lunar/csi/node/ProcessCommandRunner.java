package dev.lunar.csi.node;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs commands as child processes, in the C locale so that their messages can be matched. */
public final class ProcessCommandRunner implements CommandRunner {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessCommandRunner.class);

  @Override
  public Result run(Command command, Duration timeout) throws IOException {
    // No stdin: a tool that asks a question (mkfs: "Proceed anyway?") reads EOF and fails
    // instead of waiting for an answer that never comes.
    ProcessBuilder builder =
        new ProcessBuilder(command.argv())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().put("LC_ALL", "C");
    LOG.debug("running {}", command);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IOException("cannot run " + command.program() + ": " + e.getMessage());
    }
    // Both pipes drain while the process runs, so a chatty tool cannot block on a full pipe.
    CompletableFuture<String> stdout = drain(process.getInputStream());
    CompletableFuture<String> stderr = drain(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        throw new IOException(command + " did not end within " + timeout.toSeconds() + " s");
      }
      Result result = new Result(process.exitValue(), stdout.get(), stderr.get());
      LOG.debug("{} exited {}", command, result.exitCode());
      return result;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running " + command);
    } catch (ExecutionException e) {
      throw new IOException("cannot read the output of " + command, e.getCause());
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        command -> Thread.ofVirtual().start(command));
  }
}
