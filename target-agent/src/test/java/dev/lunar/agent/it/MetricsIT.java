package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.testing.ProcessResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Known I/O through a real initiator, then the Prometheus endpoint: per-LUN operation and byte
 * counters equal to what qemu-img moved, the latency histogram filled, the session gauge at 1 only
 * while an initiator is connected, and a refused login counted with its reason.
 */
class MetricsIT {

  private static final String IQN = "iqn.2026-01.dev.lunar.it:metrics";
  private static final String CLOSED_IQN = "iqn.2026-01.dev.lunar.it:closed";
  private static final String LUN_1 = "lun=\"1\",target=\"" + IQN + "\"";
  private static final int COUNT = 16;
  private static final int SIZE = 256 * 1024;

  @TempDir Path dir;

  @Test
  void countersMatchTheIoAnInitiatorDrove() throws Exception {
    Path disk = Disks.sparse(dir.resolve("disk.img"), 64L << 20);
    try (Daemon daemon =
        new Daemon(dir).withMetrics().withEnv("LUNAR_LOG_FORMAT", "json").start()) {
      assertThat(daemon.metricsGet("/healthz").statusCode()).isEqualTo(200);
      assertThat(daemon.metricsGet("/readyz").statusCode()).isEqualTo(200);
      daemon.exportDisk(IQN, disk);
      String url = Initiator.url(daemon.portal(), IQN, 1, null, null);

      Scrape before = scrape(daemon);
      bench(url, "-w");
      Scrape afterWrite = scrape(daemon);
      bench(url);
      Scrape afterRead = scrape(daemon);

      long bytes = (long) COUNT * SIZE;
      assertThat(delta(before, afterWrite, "lunar_scsi_write_operations_total", LUN_1))
          .isEqualTo(COUNT);
      assertThat(delta(before, afterWrite, "lunar_scsi_write_bytes_total", LUN_1)).isEqualTo(bytes);
      assertThat(delta(before, afterWrite, "lunar_scsi_read_operations_total", LUN_1)).isZero();
      assertThat(delta(afterWrite, afterRead, "lunar_scsi_read_operations_total", LUN_1))
          .isEqualTo(COUNT);
      assertThat(delta(afterWrite, afterRead, "lunar_scsi_read_bytes_total", LUN_1))
          .isEqualTo(bytes);
      assertThat(delta(afterWrite, afterRead, "lunar_scsi_write_bytes_total", LUN_1)).isZero();

      String target = "target=\"" + IQN + "\"";
      // 256 KiB writes exceed the first burst, so part of each is solicited by R2T.
      assertThat(delta(before, afterWrite, "lunar_iscsi_r2t_total", target)).isPositive();
      assertThat(delta(before, afterWrite, "lunar_iscsi_data_out_total", target)).isPositive();
      assertHistogramFilled(afterRead, "read");
      assertHistogramFilled(afterRead, "write");
      assertThat(afterRead.value("lunar_storage_errors_total", LUN_1)).isZero();
      assertThat(afterRead.value("lunar_iscsi_logins_total", target, "result=\"success\""))
          .isGreaterThanOrEqualTo(2);

      assertSessionGaugeFollowsAConnectedInitiator(daemon, url, target);
      assertRefusedLoginIsCounted(daemon, disk);

      assertThat(afterRead.text()).contains("jvm_memory_used_bytes", "process_cpu_usage");
      // JSON log lines carry the nexus once the login completed.
      assertThat(daemon.logText())
          .contains("\"initiator\":\"iqn.2008-11.org.linux-kvm")
          .contains("\"target\":\"" + IQN + "\"");
    }
  }

  /**
   * LUN 1's latency histogram for {@code op} has the agent's buckets (100 µs to 10 s, LunMeters),
   * cumulative, with every one of the bench's commands in the largest finite bucket (none takes 10
   * s) and no more in the smallest than there are commands: wrong buckets or an unfilled histogram
   * fail, where {@code _count} and {@code +Inf} alone would pass.
   */
  private static void assertHistogramFilled(Scrape scrape, String op) {
    String labels = "lun=\"1\",op=\"" + op + "\",target=\"" + IQN + "\"";
    double count = scrape.value("lunar_scsi_io_seconds_count", labels);
    NavigableMap<Double, Double> buckets = scrape.buckets("lunar_scsi_io_seconds_bucket", labels);

    assertThat(count).as("%s count", op).isGreaterThanOrEqualTo(COUNT);
    assertThat(buckets.keySet())
        .as("%s bucket bounds (seconds)", op)
        .containsExactly(
            0.0001,
            0.00025,
            0.0005,
            0.001,
            0.002,
            0.005,
            0.01,
            0.025,
            0.05,
            0.1,
            0.25,
            0.5,
            1.0,
            2.5,
            5.0,
            10.0,
            Double.POSITIVE_INFINITY);
    assertThat(List.copyOf(buckets.values())).as("%s buckets are cumulative", op).isSorted();
    assertThat(buckets.get(10.0)).as("%s le=10", op).isEqualTo(count);
    assertThat(buckets.get(Double.POSITIVE_INFINITY)).as("%s le=+Inf", op).isEqualTo(count);
    assertThat(buckets.firstEntry().getValue()).as("%s le=0.0001", op).isLessThanOrEqualTo(count);
  }

  private static void assertSessionGaugeFollowsAConnectedInitiator(
      Daemon daemon, String url, String target) throws Exception {
    assertThat(scrape(daemon).value("lunar_iscsi_sessions", target)).isZero();
    // A long read bench holds one session open until it is stopped.
    Process bench =
        new ProcessBuilder(
                "qemu-img", "bench", "-f", "raw", "-c", "10000000", "-d", "1", "-s", "4096", url)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      assertThat(awaitValue(daemon, "lunar_iscsi_sessions", target, v -> v == 1)).isEqualTo(1);
      assertThat(scrape(daemon).value("lunar_iscsi_connections", target)).isEqualTo(1);
    } finally {
      bench.destroy();
      if (!bench.waitFor(10, TimeUnit.SECONDS)) {
        bench.destroyForcibly().waitFor();
      }
    }
    assertThat(awaitValue(daemon, "lunar_iscsi_sessions", target, v -> v == 0)).isZero();
  }

  /** A second target with no ACL binding refuses everyone (authorization failure, 0x0202). */
  private static void assertRefusedLoginIsCounted(Daemon daemon, Path disk) {
    daemon.tgtadmOk(
        "--lld", "iscsi", "--mode", "target", "--op", "new", "--tid", "2", "-T", CLOSED_IQN);
    String failures = "target=\"" + CLOSED_IQN + "\"";
    double before = scrape(daemon).value("lunar_iscsi_logins_total", failures);
    ProcessResult refused =
        Initiator.inq(Initiator.url(daemon.portal(), CLOSED_IQN, 0, null, null));
    assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
    Scrape after = scrape(daemon);
    assertThat(
            after.value(
                "lunar_iscsi_logins_total",
                failures,
                "result=\"failure\"",
                "reason=\"authorization_failed\""))
        .isEqualTo(before + 1);
  }

  private static void bench(String url, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("bench", "-f", "raw"));
    args.addAll(List.of(extra));
    args.addAll(
        List.of("-c", Integer.toString(COUNT), "-s", Integer.toString(SIZE), "-d", "1", url));
    ProcessResult result = Initiator.qemuImg(args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.toString()).isZero();
  }

  private static double awaitValue(
      Daemon daemon, String name, String labels, DoublePredicate wanted) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    double value = scrape(daemon).value(name, labels);
    while (!wanted.test(value) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      value = scrape(daemon).value(name, labels);
    }
    return value;
  }

  private static double delta(Scrape from, Scrape to, String name, String labels) {
    return to.value(name, labels) - from.value(name, labels);
  }

  private static Scrape scrape(Daemon daemon) {
    var response = daemon.metricsGet("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return new Scrape(response.body());
  }

  /** One Prometheus text exposition. */
  private record Scrape(String text) {

    /**
     * The sum of the samples of {@code name} whose labels contain every given {@code k="v"} pair; 0
     * when there is none (a meter appears with its first event).
     */
    double value(String name, String... labels) {
      double sum = 0;
      for (String line : text.split("\n")) {
        if (!line.startsWith(name + "{")) {
          continue;
        }
        String labelText = line.substring(name.length(), line.lastIndexOf('}') + 1);
        boolean all = true;
        for (String wanted : labels) {
          for (String pair : wanted.split(",(?=[a-z_]+=)")) {
            all &= labelText.contains(pair);
          }
        }
        if (all) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    }

    /** Upper bound ({@code le}, in seconds) to the value of each bucket of a histogram. */
    NavigableMap<Double, Double> buckets(String name, String... labels) {
      NavigableMap<Double, Double> buckets = new TreeMap<>();
      Matcher le = Pattern.compile("le=\"([^\"]+)\"").matcher(text);
      for (String line : text.split("\n")) {
        if (line.startsWith(name + "{") && le.reset(line).find()) {
          String bound = le.group(1);
          double upper =
              bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
          buckets.put(upper, value(name, String.join(",", labels), "le=\"" + bound + "\""));
        }
      }
      return buckets;
    }
  }
}
