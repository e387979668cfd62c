package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.testing.Commands;
import dev.lunar.testing.ProcessResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target asks the kernel for durability (fdatasync of the backing file, seen with strace)
 * exactly when the initiator asked for it: for each FUA write and each SYNCHRONIZE CACHE, for every
 * write while MODE SELECT has turned the write cache off, and not for plain writes with the cache
 * on. A kill -9 cannot tell these apart (the page cache survives it; see {@link CrashSafetyIT}), a
 * power cut could, and this is what a power cut would find.
 */
class DurabilityIT {

  private static final String IQN = "iqn.2026-11.dev.lunar.it:durability";

  @TempDir Path dir;

  @Test
  void everyFuaWriteAndEveryFlushFromQemuIsAnFdatasync() throws Exception {
    Path disk = Disks.sparse(dir.resolve("disk.img"), 16L << 20);
    WritePlan plan = new WritePlan(200, 5, 16);
    try (Daemon daemon = new Daemon(dir).start().exportDisk(IQN, disk);
        SyncTrace trace = SyncTrace.attach(daemon.pid(), dir.resolve("strace.txt"))) {
      ProcessResult run = Commands.capture(Initiator.LIMIT, plan.qemuIo(url(daemon)));
      assertThat(run.exitCode()).as(run.toString()).isZero();
      run.stdout().lines().forEach(plan::observe);
      assertThat(plan.completed()).isEqualTo(plan.writes());
      long fua = IntStream.range(0, plan.writes()).filter(plan::fua).count();
      long flushes = plan.flushes();
      long syncs = trace.syncsOf(disk);
      assertThat(syncs)
          .as("fdatasync for %d FUA writes and %d flushes", fua, flushes)
          .isGreaterThanOrEqualTo(fua + flushes);
      assertThat(WritePlan.mismatches(disk, plan.durable(plan.writes(), true))).isEmpty();
      System.out.printf(
          "DurabilityIT: qemu-io %d writes, %d with FUA, %d flushes: %d fdatasync%n",
          plan.writes(), fua, flushes, syncs);
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
      List<Integer> written = IntStream.range(0, 2 * each).boxed().toList();
      assertThat(WritePlan.mismatches(disk, written)).isEmpty();
      // The control: the same writes with the cache on ask for no flush, so the count is the
      // target's doing and not strace's or the kernel's.
      assertThat(syncsWithoutCache).as("fdatasync with WCE=0").isGreaterThanOrEqualTo(each);
      assertThat(syncsWithCache).as("fdatasync with WCE=1, no FUA, no flush").isZero();
      System.out.printf(
          "DurabilityIT: WCE=0 via MODE SELECT: %d writes, %d fdatasync; WCE=1: %d writes, %d"
              + " fdatasync; all %d blocks in the file after kill -9%n",
          each, syncsWithoutCache, each, syncsWithCache, written.size());
    }
  }

  /**
   * A registration with APTPL must survive a power loss: the reservations file in the state dir is
   * flushed before the command is answered, not left in the page cache.
   */
  @Test
  void aRegistrationThatPersistsThroughPowerLossIsFlushedBeforeItIsAnswered() throws Exception {
    Path disk = Disks.sparse(dir.resolve("disk.img"), 16L << 20);
    try (Daemon daemon = new Daemon(dir).start().exportDisk(IQN, disk);
        RawSession session = RawSession.login(daemon, "iqn.2026-11.dev.lunar.it:aptpl", IQN);
        SyncTrace trace = SyncTrace.attach(daemon.pid(), dir.resolve("strace.txt"))) {
      byte[] parameters = new byte[24];
      parameters[15] = 0x42; // service action reservation key 0x42
      parameters[20] = 0x01; // APTPL
      byte[] register = {0x5f, 0x00, 0, 0, 0, 0, 0, 0, (byte) parameters.length, 0};
      RawSession.Reply reply = session.command(register, parameters, 0);
      assertThat(reply.status())
          .as("PERSISTENT RESERVE OUT status, sense %s", reply.sense())
          .isZero();

      long syncs = trace.syncsOfPathsContaining("reservations.properties");
      assertThat(syncs).as("fsync of the APTPL reservations file").isPositive();
      System.out.printf(
          "DurabilityIT: PERSISTENT RESERVE OUT REGISTER with APTPL: %d fsync of its state file%n",
          syncs);
    }
  }

  /** MODE SENSE (10) of the current caching page (0x08), without block descriptors. */
  private static byte[] cachingPage(RawSession session) throws IOException {
    byte[] cdb = {0x5a, 0x08, 0x08, 0, 0, 0, 0, 0, (byte) 255, 0};
    RawSession.Reply reply = session.command(cdb, null, 255);
    assertThat(reply.status()).as("MODE SENSE status").isZero();
    int length = 2 + reply.dataIn()[9];
    return Arrays.copyOfRange(reply.dataIn(), 8, 8 + length);
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
    Arrays.fill(data, (byte) WritePlan.pattern(i));
    int lba = i * (WritePlan.BLOCK / 512);
    byte[] cdb = {
      0x2a, 0, (byte) (lba >>> 24), (byte) (lba >>> 16), (byte) (lba >>> 8), (byte) lba, 0, 0, 8, 0
    };
    assertThat(session.command(cdb, data, 0).status()).as("WRITE status").isZero();
  }

  private static String url(Daemon daemon) {
    return Initiator.url(daemon.portal(), IQN, 1, null, null);
  }
}
