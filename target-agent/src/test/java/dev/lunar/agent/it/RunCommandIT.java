package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.testing.ProcessResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's standalone run command, headless: it starts the demo target and an initiator logs
 * in.
 */
class RunCommandIT {

  private static final Pattern URL = Pattern.compile("(iscsi://127\\.0\\.0\\.1:\\d+/\\S+/1)");

  @TempDir Path dir;

  @Test
  void runCommandServesTheDemoLunAtThePrintedUrl() throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    ProcessBuilder builder =
        new ProcessBuilder(repo.resolve("lunar").toString(), "run", "--standalone");
    builder.environment().put("LUNAR_SKIP_BUILD", "1");
    builder.environment().put("LUNAR_DEMO_DIR", dir.toString());
    builder.environment().put("LUNAR_DEMO_PORT", Integer.toString(Daemon.freePort()));
    builder.redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process run = builder.start();
    StringBuilder printed = new StringBuilder();
    try {
      String url = awaitUrl(run, printed);
      assertThat(url).as(printed.toString()).isNotNull();
      assertThat(printed).contains("iscsi-ls -s").contains("qemu-img bench");

      ProcessResult inquiry = Initiator.inq(url);
      assertThat(inquiry.exitCode()).as(inquiry.toString()).isZero();
      assertThat(inquiry.stdout()).contains("Peripheral Device Type:DIRECT_ACCESS");
    } finally {
      // Ctrl-C's equivalent; the daemon it started must go too, even if the script misbehaves.
      java.util.List<ProcessHandle> started = run.descendants().toList();
      run.destroy();
      if (!run.waitFor(20, TimeUnit.SECONDS)) {
        run.destroyForcibly();
      }
      started.forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** Reads what the command prints until it shows the URL and its "Ctrl-C" line. */
  private static String awaitUrl(Process run, StringBuilder printed) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8));
    String url = null;
    String line;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
      printed.append(line).append('\n');
      Matcher m = URL.matcher(line);
      if (url == null && m.find()) {
        url = m.group(1);
      }
      if (line.contains("Ctrl-C stops it")) {
        break;
      }
    }
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                out.transferTo(java.io.Writer.nullWriter());
              } catch (IOException ignored) {
                // the process ended
              }
            });
    return url;
  }
}
