package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.testing.ProcessResult;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the daemon in the middle of a write stream, then a restart on the same state dir,
 * backing file and port. Every write the target acknowledged as durable (FUA, or followed by a
 * completed SYNCHRONIZE CACHE) must read back; the initiator, which reconnects by itself, must
 * finish its work as if nothing had happened.
 *
 * <p>A kill, unlike a power cut, leaves the kernel's page cache alone, so what this proves is that
 * the target writes into the file before it acknowledges (no buffering in the process), that a
 * restart neither loses the export nor disturbs the data, and that the initiator's retried commands
 * land. That the target asks the kernel for durability when it should is {@link DurabilityIT}'s
 * part.
 */
class CrashSafetyIT {

  private static final String IQN = "iqn.2026-11.dev.lunar.it:crash";
  private static final long DISK_BYTES = 64L << 20;

  /** 48 MiB of single-block writes, one in 5 with FUA, a flush after every 16th. */
  private static final int WRITES = 12_000;

  /** The kill comes when this many writes have been acknowledged. */
  private static final int KILL_AFTER = 4_000;

  @TempDir Path dir;

  @Test
  void writesAcknowledgedDurableSurviveKill9AndTheInitiatorRidesThroughTheRestart()
      throws Exception {
    Path disk = Disks.sparse(dir.resolve("disk.img"), DISK_BYTES);
    WritePlan plan = new WritePlan(WRITES, 5, 16);
    CountDownLatch killPoint = new CountDownLatch(1);
    try (Daemon daemon = new Daemon(dir).start().exportDisk(IQN, disk);
        RunningCommand writer =
            RunningCommand.start(
                Map.of(),
                plan.qemuIo(url(daemon)),
                line -> {
                  if (plan.observe(line) >= KILL_AFTER) {
                    killPoint.countDown();
                  }
                })) {
      assertThat(killPoint.await(60, TimeUnit.SECONDS)).as("writes under way").isTrue();
      long rssKib = HostileInitiatorIT.vmHwmKib(daemon.pid());
      daemon.kill9();
      int acknowledged = plan.completed();
      assertThat(writer.isAlive()).as("qemu-io still writing at the kill").isTrue();
      assertThat(acknowledged).as("writes acknowledged at the kill").isLessThan(WRITES);

      // The file exactly as the killed process left it: nothing acknowledged durable is missing.
      List<Integer> durableAtKill = plan.durable(acknowledged, false);
      assertThat(WritePlan.mismatches(disk, durableAtKill)).isEmpty();

      long down = System.nanoTime();
      daemon.start(daemon.port());
      long restartMillis = Duration.ofNanos(System.nanoTime() - down).toMillis();
      ProcessResult finished = writer.await(Duration.ofSeconds(120));
      assertThat(finished.exitCode())
          .as("qemu-io through the crash: %s", finished.stderr())
          .isZero();
      assertThat(plan.completed()).as("writes reported complete").isEqualTo(WRITES);

      // The script ended with a completed flush: now every write is durable. Crash once more
      // and read everything back through a fresh daemon.
      daemon.kill9();
      daemon.start(daemon.port());
      List<Integer> all = plan.durable(WRITES, true);
      assertThat(WritePlan.mismatches(readBack(daemon), all)).isEmpty();

      // The check itself must be able to fail: damage one durable block behind the target's back.
      int victim = durableAtKill.get(durableAtKill.size() / 2);
      corrupt(disk, victim);
      assertThat(WritePlan.mismatches(readBack(daemon), all)).containsExactly(victim);

      System.out.printf(
          "CrashSafetyIT: kill -9 after %d of %d acknowledged writes, %d of them acknowledged"
              + " durable and verified in the file; daemon back in %d ms, qemu-io finished through"
              + " the crash; %d blocks verified over iSCSI after a second kill; daemon peak RSS"
              + " %d MiB%n",
          acknowledged, WRITES, durableAtKill.size(), restartMillis, all.size(), rssKib / 1024);
    }
  }

  @Test
  void qemuImgBenchWritingThroughKill9AndRestartCompletes() throws Exception {
    Path disk = Disks.sparse(dir.resolve("disk.img"), DISK_BYTES);
    CountDownLatch sending = new CountDownLatch(1);
    try (Daemon daemon = new Daemon(dir).start().exportDisk(IQN, disk);
        RunningCommand bench =
            RunningCommand.start(
                Map.of(),
                List.of(
                    "qemu-img",
                    "bench",
                    "-w",
                    "-f",
                    "raw",
                    "-t",
                    "none",
                    "-d",
                    "8",
                    "-s",
                    "4k",
                    "-c",
                    "150000",
                    url(daemon)),
                line -> {
                  if (line.startsWith("Sending")) {
                    sending.countDown();
                  }
                })) {
      assertThat(sending.await(60, TimeUnit.SECONDS)).as("qemu-img bench started").isTrue();
      Thread.sleep(500);
      assertThat(bench.isAlive()).as("bench still writing at the kill").isTrue();
      daemon.kill9();
      long down = System.nanoTime();
      daemon.start(daemon.port());
      ProcessResult result = bench.await(Duration.ofSeconds(120));
      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.stdout()).contains("Run completed");
      System.out.printf(
          "CrashSafetyIT: qemu-img bench -w (150000 x 4 KiB, depth 8) completed through kill -9;"
              + " daemon back in %d ms%n",
          Duration.ofNanos(System.nanoTime() - down).toMillis());
    }
  }

  private static String url(Daemon daemon) {
    return Initiator.url(daemon.portal(), IQN, 1, null, null);
  }

  /** The whole LUN read through the daemon with qemu-img, into a local file. */
  private Path readBack(Daemon daemon) {
    Path copy = dir.resolve("read-back.raw");
    ProcessResult read =
        Initiator.qemuImg("convert", "-f", "raw", "-O", "raw", url(daemon), copy.toString());
    assertThat(read.exitCode()).as(read.toString()).isZero();
    return copy;
  }

  private static void corrupt(Path disk, int block) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
      f.seek((long) block * WritePlan.BLOCK + 100);
      f.write(WritePlan.pattern(block) ^ 0xff);
    }
  }
}
