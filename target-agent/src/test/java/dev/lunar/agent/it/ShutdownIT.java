package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
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

  /** Asynchronous Message opcode (11.9); byte 36 is AsyncEvent, bytes 42-43 Parameter3. */
  private static final int ASYNC_MESSAGE = 0x32;

  private static final int TARGET_REQUESTS_LOGOUT = 1;

  @TempDir Path dir;

  @Test
  void sigtermAsksSessionsToLogOutAndExitsZeroWithinTheBoundKeepingEveryAcknowledgedWrite()
      throws Exception {
    Path disk = Disks.sparse(dir.resolve("disk.img"), 64L << 20);
    // No FUA and no flush before the end: nothing but the shutdown itself makes these durable.
    WritePlan plan = new WritePlan(12_000, Integer.MAX_VALUE, Integer.MAX_VALUE);
    CountDownLatch underWay = new CountDownLatch(1);
    try (Daemon daemon = new Daemon(dir).start().exportDisk(IQN, disk);
        Socket watcher = loggedInSession(daemon);
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
      int asyncEvent = awaitAsyncEvent(watcher);
      int exit = daemon.awaitExit(BOUND.plusSeconds(5));
      long millis = Duration.ofNanos(System.nanoTime() - signalled).toMillis();
      ProcessResult qemu = writer.kill();

      assertThat(exit).as("exit status after SIGTERM\n%s", daemon.logText()).isZero();
      assertThat(Duration.ofMillis(millis)).isLessThan(BOUND);
      assertThat(asyncEvent).as("AsyncEvent sent to a logged-in session").isEqualTo(1);
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
          RunningCommand strace = traceSyncs(daemon.pid(), dir.resolve("strace.txt"))) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (plan.completed() < plan.writes() && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(plan.completed()).isEqualTo(plan.writes());
        assertThat(writer.isAlive()).as("session still open").isTrue();
        assertThat(syncsOf(dir.resolve("strace.txt"), disk)).as("no flush before SIGTERM").isZero();
        daemon.sigterm();
        assertThat(daemon.awaitExit(BOUND.plusSeconds(5))).isZero();
        strace.await(Duration.ofSeconds(10));
        assertThat(syncsOf(dir.resolve("strace.txt"), disk))
            .as("fdatasync of %s during shutdown", disk)
            .isPositive();
      }
    }
  }

  private static String url(Daemon daemon) {
    return Initiator.url(daemon.portal(), IQN, 1, null, null);
  }

  /** strace on every thread of the daemon, recording fsync and fdatasync with the file's path. */
  private static RunningCommand traceSyncs(long pid, Path out) throws Exception {
    RunningCommand strace =
        RunningCommand.start(
            Map.of(),
            List.of(
                "strace",
                "-f",
                "-y",
                "-e",
                "trace=fsync,fdatasync",
                "-o",
                out.toString(),
                "-p",
                Long.toString(pid)),
            line -> {});
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (tracerPid(pid) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(tracerPid(pid)).as("strace attached").isPositive();
    Thread.sleep(500); // the other threads are attached right after the first
    return strace;
  }

  private static long tracerPid(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("TracerPid:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }

  private static long syncsOf(Path trace, Path file) throws IOException {
    if (!Files.exists(trace)) {
      return 0;
    }
    String name = "<" + file.toRealPath() + ">";
    return Files.readAllLines(trace).stream()
        .filter(l -> l.contains("sync(") && l.contains(name) && l.contains("= 0"))
        .count();
  }

  /** A session logged in with a raw Login Request that then only listens. */
  private static Socket loggedInSession(Daemon daemon) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 5000);
    s.setSoTimeout((int) BOUND.toMillis());
    s.getOutputStream()
        .write(
            HostilePdus.login(
                0x400000000077L,
                false,
                HostilePdus.normalSession("iqn.2026-11.dev.lunar.it:watcher", IQN)));
    ByteBuffer response = readPdu(s.getInputStream());
    assertThat(response.getShort(36)).as("login status").isZero();
    return s;
  }

  /** Reads PDUs until an Asynchronous Message; returns its AsyncEvent. */
  private static int awaitAsyncEvent(Socket s) throws IOException {
    while (true) {
      ByteBuffer bhs = readPdu(s.getInputStream());
      if ((bhs.get(0) & 0x3f) == ASYNC_MESSAGE) {
        int event = bhs.get(36);
        if (event == TARGET_REQUESTS_LOGOUT) {
          assertThat(bhs.getShort(42)).as("seconds to log out in").isPositive();
        }
        return event;
      }
    }
  }

  /** One PDU: returns its BHS, skips its data segment (no digests were negotiated). */
  private static ByteBuffer readPdu(InputStream in) throws IOException {
    byte[] bhs = in.readNBytes(HostilePdus.BHS);
    if (bhs.length < HostilePdus.BHS) {
      throw new IOException("connection closed before a whole PDU");
    }
    ByteBuffer b = ByteBuffer.wrap(bhs);
    int dataLength = b.getInt(4) & 0xffffff;
    in.readNBytes(((bhs[4] & 0xff) * 4) + ((dataLength + 3) & ~3));
    return b;
  }
}
