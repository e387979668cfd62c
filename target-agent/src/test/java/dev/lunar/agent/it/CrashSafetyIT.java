package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

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
 * completed SYNCHRONIZE CACHE, or sent while MODE SELECT had turned the write cache off) must read
 * back; the initiator, which reconnects by itself, must finish its work as if nothing had happened.
 *
 * <p>A kill, unlike a power cut, leaves the kernel's page cache alone, so what this proves is that
 * the target writes into the file before it acknowledges (no buffering in the process), that a
 * restart neither loses the export nor disturbs the data, and that the initiator's retried commands
 * land. Whether the target asked the kernel for durability is seen with strace instead: with the
 * write cache off, every write is followed by an fdatasync of the backing file.
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

  @Test
  void withTheWriteCacheDisabledEveryAcknowledgedWriteWasFlushed() throws Exception {
    Path disk = Disks.sparse(dir.resolve("disk.img"), 16L << 20);
    int each = 32;
    try (Daemon daemon = new Daemon(dir).start().exportDisk(IQN, disk);
        RawSession session = RawSession.login(daemon, "iqn.2026-11.dev.lunar.it:wce", IQN);
        SyncTrace trace = SyncTrace.attach(daemon.pid(), dir.resolve("strace.txt"))) {
      assertThat(writeCache(session)).as("WCE by default").isTrue();
      setWriteCache(session, false);
      assertThat(writeCache(session)).as("WCE after MODE SELECT").isFalse();
      for (int i = 0; i < each; i++) {
        write(session, i);
      }
      long syncsWithoutCache = trace.syncsOf(disk);
      setWriteCache(session, true);
      for (int i = each; i < 2 * each; i++) {
        write(session, i);
      }
      long syncsWithCache = trace.syncsOf(disk) - syncsWithoutCache;
      daemon.kill9();
      List<Integer> written = java.util.stream.IntStream.range(0, 2 * each).boxed().toList();
      assertThat(WritePlan.mismatches(disk, written)).isEmpty();
      // The control: the same writes with the cache on ask for no flush, so the count is the
      // target's doing and not strace's or the kernel's.
      assertThat(syncsWithoutCache).as("fdatasync with WCE=0").isGreaterThanOrEqualTo(each);
      assertThat(syncsWithCache).as("fdatasync with WCE=1, no FUA, no flush").isZero();
      System.out.printf(
          "CrashSafetyIT: WCE=0 via MODE SELECT: %d writes, %d fdatasync; WCE=1: %d writes, %d"
              + " fdatasync; all %d blocks in the file after kill -9%n",
          each, syncsWithoutCache, each, syncsWithCache, written.size());
    }
  }

  /** MODE SENSE (10) of the current caching page (0x08), without block descriptors. */
  private static byte[] cachingPage(RawSession session) throws IOException {
    byte[] cdb = {0x5a, 0x08, 0x08, 0, 0, 0, 0, 0, (byte) 255, 0};
    RawSession.Reply reply = session.command(cdb, null, 255);
    assertThat(reply.status()).as("MODE SENSE status").isZero();
    int length = 2 + reply.dataIn()[9];
    return java.util.Arrays.copyOfRange(reply.dataIn(), 8, 8 + length);
  }

  private static boolean writeCache(RawSession session) throws IOException {
    return (cachingPage(session)[2] & 0x04) != 0;
  }

  /** MODE SELECT (10), PF set and SP clear: the current caching page with WCE changed. */
  private static void setWriteCache(RawSession session, boolean enabled) throws IOException {
    byte[] page = cachingPage(session);
    page[0] &= 0x3f; // PS is reserved in MODE SELECT
    page[2] = (byte) (enabled ? page[2] | 0x04 : page[2] & ~0x04);
    byte[] list = new byte[8 + page.length];
    System.arraycopy(page, 0, list, 8, page.length);
    byte[] cdb = {0x55, 0x10, 0, 0, 0, 0, 0, 0, (byte) list.length, 0};
    RawSession.Reply reply = session.command(cdb, list, 0);
    assertThat(reply.status()).as("MODE SELECT status, sense %s", reply.sense()).isZero();
  }

  /** WRITE (10) without FUA of write {@code i}'s pattern to its 4 KiB block (8 x 512 bytes). */
  private static void write(RawSession session, int i) throws IOException {
    byte[] data = new byte[WritePlan.BLOCK];
    java.util.Arrays.fill(data, (byte) WritePlan.pattern(i));
    int lba = i * (WritePlan.BLOCK / 512);
    byte[] cdb = {
      0x2a, 0, (byte) (lba >>> 24), (byte) (lba >>> 16), (byte) (lba >>> 8), (byte) lba, 0, 0, 8, 0
    };
    assertThat(session.command(cdb, data, 0).status()).as("WRITE status").isZero();
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
