package dev.lunar.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.testing.Commands;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, headless: {@code ./lunar run} brings up etcd, the API server, the
 * operator and an agent on this machine, the examples become Ready, a libiscsi initiator logs in at
 * the printed URL, and SIGTERM stops every process the command started.
 */
class LocalRunIT {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Duration READY_WITHIN = Duration.ofMinutes(5);
  private static final Duration STOPPED_WITHIN = Duration.ofSeconds(60);
  private static final Pattern URL = Pattern.compile("'(iscsi://[^']+/1\\?[^']+)'");
  private static final Pattern API_PORT = Pattern.compile("https://127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern ETCD_PORT =
      Pattern.compile("starting etcd on 127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path dir;

  @Test
  void runCommandServesTheExamplesAtThePrintedUrlAndStopsEverythingOnSigterm() throws Exception {
    int port = Commands.freePort();
    ProcessBuilder builder = new ProcessBuilder(REPO.resolve("lunar").toString(), "run");
    builder.environment().put("LUNAR_SKIP_BUILD", "1");
    builder.environment().put("LUNAR_DEMO_DIR", dir.toString());
    builder.environment().put("LUNAR_DEMO_PORT", Integer.toString(port));
    // Everything Lunar logs, with its context, for the password scan below.
    builder.environment().put("LUNAR_LOG_LEVEL", "TRACE");
    builder.environment().put("LUNAR_LOG_FORMAT", "json");
    builder.redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process run = builder.start();
    PrintedLines printed = new PrintedLines(run.getInputStream());
    try {
      assertThat(printed.awaitLine("Ctrl-C stops it", READY_WITHIN))
          .as("the command's output:\n%s", printed)
          .isTrue();
      assertThat(printed.text()).contains("run: Ready", "export KUBECONFIG=" + dir + "/kubeconfig");
      // The printed `kubectl get iscsi -A`: the example's target and its three LUNs, each Ready.
      for (String name :
          List.of(
              "iscsitarget.iscsi.lunar.dev/demo",
              "iscsilun.iscsi.lunar.dev/demo-disk",
              "iscsilun.iscsi.lunar.dev/demo-scratch",
              "iscsilun.iscsi.lunar.dev/demo-volume")) {
        assertThat(printed.text().lines().filter(l -> l.startsWith("lunar-demo ")))
            .as("a Ready row for %s in:%n%s", name, printed)
            .anyMatch(l -> l.matches("lunar-demo\\s+" + Pattern.quote(name) + "\\s.*\\bTrue\\b.*"));
      }
      String url = group(URL, printed.text());
      assertThat(url).isEqualTo(Examples.url("127.0.0.1:" + port, 1));

      // A libiscsi initiator with the example's CHAP and mutual CHAP logs in at the printed URL.
      String inq = Commands.run("iscsi-inq", "-i", Examples.INITIATOR, url);
      assertThat(inq).contains("Peripheral Device Type:DIRECT_ACCESS");
      String ls =
          Commands.run(
              "iscsi-ls",
              "-s",
              "-i",
              Examples.INITIATOR,
              "iscsi://"
                  + Examples.CHAP_USER
                  + "%"
                  + Examples.CHAP_PASSWORD
                  + "@127.0.0.1:"
                  + port);
      assertThat(ls).contains("Target:" + Examples.IQN, "Lun:1", "Lun:2", "Lun:3");
      assertNoPasswordInTheLogs();

      int apiPort = Integer.parseInt(group(API_PORT, printed.text()));
      int etcdPort = Integer.parseInt(group(ETCD_PORT, printed.text()));
      List<ProcessHandle> started = run.descendants().toList();
      assertThat(started)
          .as("etcd, kube-apiserver, operator, agent")
          .hasSizeGreaterThanOrEqualTo(4);

      // SIGTERM, keeping the output open (Process.destroy closes it) to see the command stop.
      run.toHandle().destroy();
      assertThat(run.waitFor(STOPPED_WITHIN.toSeconds(), TimeUnit.SECONDS))
          .as("the command stops within %s", STOPPED_WITHIN)
          .isTrue();
      assertThat(printed.awaitLine("run: stopped", Duration.ofSeconds(10)))
          .as(printed.toString())
          .isTrue();
      assertThat(run.exitValue()).as(printed.toString()).isZero();
      assertThat(started.stream().filter(ProcessHandle::isAlive).map(LocalRunIT::describe))
          .as("processes the command started, still running")
          .isEmpty();
      for (int p : List.of(port, apiPort, etcdPort)) {
        assertThat(listening(p)).as("something still listens on port %d", p).isFalse();
      }
      assertThat(Commands.run("losetup", "-j", dir.resolve("disk.img").toString())).isBlank();
    } catch (AssertionError | RuntimeException e) {
      e.addSuppressed(new AssertionError("the run's logs:\n" + logTails()));
      throw e;
    } finally {
      stopEverything(run);
    }
  }

  /** Whatever happened above: the command, what it started, and a loop device it attached. */
  private void stopEverything(Process run) throws InterruptedException {
    List<ProcessHandle> started = new ArrayList<>(run.descendants().toList());
    started.addAll(recordedPids());
    run.destroy();
    if (!run.waitFor(STOPPED_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
      run.destroyForcibly();
    }
    started.forEach(ProcessHandle::destroyForcibly);
    for (String loop :
        Commands.runWithin(
                Duration.ofSeconds(10),
                "losetup",
                "-j",
                dir.resolve("disk.img").toString(),
                "-n",
                "-O",
                "NAME")
            .split("\\s+")) {
      if (!loop.isBlank()) {
        Commands.runQuietly("losetup", "-d", loop);
      }
    }
  }

  /** The pids the script records in its run dir, in case it died before stopping them. */
  private List<ProcessHandle> recordedPids() {
    try {
      Path pids = dir.resolve("pids");
      if (!Files.exists(pids)) {
        return List.of();
      }
      return Files.readAllLines(pids).stream()
          .map(line -> line.split(" ")[0])
          .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)).stream())
          .filter(this::namesRunDir)
          .toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** Whether a process is the run's: its command line or environment (KUBECONFIG) names the dir. */
  private boolean namesRunDir(ProcessHandle h) {
    try {
      Path proc = Path.of("/proc", Long.toString(h.pid()));
      String both =
          Files.readString(proc.resolve("cmdline"), StandardCharsets.ISO_8859_1)
              + Files.readString(proc.resolve("environ"), StandardCharsets.ISO_8859_1);
      return both.contains(dir + "/");
    } catch (IOException e) {
      return false;
    }
  }

  /** The logins above went through the operator and the agent: neither logs a CHAP password. */
  private void assertNoPasswordInTheLogs() throws IOException {
    for (String name : List.of("operator", "agent")) {
      String log = Files.readString(dir.resolve("logs").resolve(name + ".log"));
      assertThat(log).as("%s log, as JSON lines", name).contains("\"level\":");
      assertThat(log)
          .as("%s log", name)
          .doesNotContain(Examples.CHAP_PASSWORD, Examples.TARGET_PASSWORD);
    }
  }

  private String logTails() {
    StringBuilder tails = new StringBuilder();
    for (String name : List.of("etcd", "kube-apiserver", "operator", "agent")) {
      Path log = dir.resolve("logs").resolve(name + ".log");
      try {
        List<String> lines = Files.readAllLines(log);
        tails.append("== ").append(log).append('\n');
        lines
            .subList(Math.max(0, lines.size() - 30), lines.size())
            .forEach(l -> tails.append(l).append('\n'));
      } catch (IOException e) {
        tails.append("== no ").append(log).append('\n');
      }
    }
    return tails.toString();
  }

  private static String group(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    assertThat(m.find()).as("%s in:\n%s", pattern, text).isTrue();
    return m.group(1);
  }

  private static String describe(ProcessHandle h) {
    return h.pid() + " " + h.info().commandLine().orElse("?");
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
