package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.testing.ProcessResult;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while initiators are logged in and writing: the daemon asks each session to log out
 * (Async Message, AsyncEvent 1, RFC 7143 section 11.9), lets running commands finish, flushes and
 * closes its stores and exits with status 0 within {@link #BOUND}; every acknowledged write is in
 * the backing file.
 */
class ShutdownIT {

  private static final String IQN = "iqn.2026-11.dev.lunar.it:shutdown";

  /** The bound the daemon promises (TgtdDaemon.SHUTDOWN_BOUND). */
  private static final Duration BOUND = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void sigtermAsksSessionsToLogOutAndExitsZeroWithinTheBoundKeepingEveryAcknowledgedWrite()
      throws Exception {
    Path disk = Disks.sparse(dir.resolve("disk.img"), 64L << 20);
    // No FUA and no flush before the end: nothing but the shutdown itself makes these durable.
    WritePlan plan = new WritePlan(12_000, Integer.MAX_VALUE, Integer.MAX_VALUE);
    CountDownLatch underWay = new CountDownLatch(1);
    try (Daemon daemon = new Daemon(dir).start().exportDisk(IQN, disk);
        RawSession watcher = RawSession.login(daemon, "iqn.2026-11.dev.lunar.it:watcher", IQN);
        RunningCommand writer =
            RunningCommand.start(
                Map.of("LIBISCSI_DEBUG", "2"),
                plan.qemuIo(Initiator.url(daemon.portal(), IQN, 1, null, null)),
                line -> {
                  if (plan.observe(line) >= 3_000) {
                    underWay.countDown();
                  }
                })) {
      assertThat(underWay.await(60, TimeUnit.SECONDS)).as("writes under way").isTrue();
      long rssKib = HostileInitiatorIT.vmHwmKib(daemon.pid());
      int beforeSignal = plan.completed();
      long signalled = System.nanoTime();
      daemon.sigterm();
      ByteBuffer async = watcher.awaitAsyncMessage();
      int exit = daemon.awaitExit(BOUND.plusSeconds(5));
      long millis = Duration.ofNanos(System.nanoTime() - signalled).toMillis();
      ProcessResult qemu = writer.kill();

      assertThat(exit).as("exit status after SIGTERM\n%s", daemon.logText()).isZero();
      assertThat(Duration.ofMillis(millis)).isLessThan(BOUND);
      assertThat(async.get(36)).as("AsyncEvent sent to a logged-in session").isEqualTo((byte) 1);
      assertThat(async.getShort(42)).as("seconds to log out in (Parameter3)").isPositive();
      assertThat(qemu.stderr()).contains("target requests logout");
      assertThat(beforeSignal).isLessThan(plan.writes());
      int acknowledged = plan.completed();
      List<Integer> all = IntStream.range(0, acknowledged).boxed().toList();
      assertThat(WritePlan.mismatches(disk, all)).as("acknowledged writes in the file").isEmpty();
      assertThat(daemon.logText()).contains("stopped cleanly");
      System.out.printf(
          "ShutdownIT: SIGTERM after %d acknowledged writes; Async logout request seen, daemon"
              + " exited 0 in %d ms (bound %d s); %d acknowledged writes verified in the file;"
              + " peak RSS %d MiB%n",
          beforeSignal, millis, BOUND.toSeconds(), acknowledged, rssKib / 1024);
    }
  }

  @Test
  void sigtermFlushesTheBackingFileOfWritesAcknowledgedWithoutFua() throws Exception {
    Path disk = Disks.sparse(dir.resolve("disk.img"), 16L << 20);
    WritePlan plan = new WritePlan(64, Integer.MAX_VALUE, Integer.MAX_VALUE);
    try (Daemon daemon = new Daemon(dir).start().exportDisk(IQN, disk)) {
      // Write-back writes only, the session left open: qemu-io waits in a long sleep.
      List<String> command = new java.util.ArrayList<>(plan.qemuIo(url(daemon)));
      command.removeLast(); // the final flush
      command.removeLast();
      command.addAll(List.of("-c", "sleep 60000"));
      try (RunningCommand writer = RunningCommand.start(Map.of(), command, plan::observe);
          SyncTrace trace = SyncTrace.attach(daemon.pid(), dir.resolve("strace.txt"))) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (plan.completed() < plan.writes() && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(plan.completed()).isEqualTo(plan.writes());
        assertThat(writer.isAlive()).as("session still open").isTrue();
        assertThat(trace.syncsOf(disk)).as("no flush before SIGTERM").isZero();
        daemon.sigterm();
        assertThat(daemon.awaitExit(BOUND.plusSeconds(5))).isZero();
        trace.awaitEnd();
        assertThat(trace.syncsOf(disk)).as("fdatasync of %s during shutdown", disk).isPositive();
      }
    }
  }

  private static String url(Daemon daemon) {
    return Initiator.url(daemon.portal(), IQN, 1, null, null);
  }
}
