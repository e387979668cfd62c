package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.testing.ProcessResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many hostile initiators at once against the daemon as a process: garbage, 16 MiB length claims,
 * AHS floods, SCSI before login, half-sent PDUs, endless login continuations, hundreds of idle
 * connections from one address, and after login command floods far past the CmdSN window, writes
 * that solicit R2Ts and never send data, reads whose answers are never read, and Data-Out for tasks
 * that do not exist. Afterwards the daemon must be alive, serve a real initiator, and its peak RSS
 * must have stayed under {@link #RSS_BOUND_MIB}. The daemon runs through the production launcher,
 * so the bound holds for the heap, direct-memory and malloc settings users actually get.
 */
class HostileInitiatorIT {

  /**
   * Measured with the launcher's settings: 100-109 MiB, also with both cores busy elsewhere. A bare
   * JVM with the same -Xmx but no -Xms and glibc's default arenas peaked at 191-276 MiB.
   */
  static final long RSS_BOUND_MIB = 192;

  private static final String IQN = "iqn.2026-11.dev.lunar:hostile";
  private static final int EACH = 20;
  private static final int IDLE_CONNECTIONS = 300;
  private static final int LOGGED_IN_ATTACKERS = 4;
  private static final int FLOOD_COMMANDS = 2000;

  @TempDir Path dir;

  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger closedByTarget = new AtomicInteger();
  private final AtomicInteger addresses = new AtomicInteger(10);

  @Test
  void daemonSurvivesHostileInitiatorsThenServesARealOneWithinBoundedRss() throws Exception {
    Path disk = Disks.sparse(dir.resolve("disk.img"), 64L << 20);
    try (Daemon daemon = new Daemon(dir).viaLauncher().start()) {
      daemon.exportDisk(IQN, disk);
      long started = System.nanoTime();
      List<Socket> idle = new ArrayList<>();
      int idleRefused;
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<Boolean>> mustClose = new ArrayList<>();
        for (int i = 0; i < EACH; i++) {
          int seed = i;
          mustClose.add(pool.submit(() -> garbage(daemon, seed)));
          mustClose.add(pool.submit(() -> hugeLengthClaim(daemon)));
          mustClose.add(pool.submit(() -> ahsFlood(daemon)));
          mustClose.add(pool.submit(() -> scsiBeforeLogin(daemon)));
          mustClose.add(pool.submit(() -> endlessContinuations(daemon)));
          mustClose.add(pool.submit(() -> halfSentThenSilence(daemon)));
        }
        List<Future<?>> floods = new ArrayList<>();
        for (int i = 0; i < LOGGED_IN_ATTACKERS; i++) {
          floods.add(pool.submit(() -> writesThatNeverSendData(daemon)));
          floods.add(pool.submit(() -> readsNeverRead(daemon)));
          floods.add(pool.submit(() -> dataOutForUnknownTasks(daemon)));
        }
        idleRefused = idleFlood(daemon, idle);
        for (Future<?> f : floods) {
          f.get();
        }
        for (Future<Boolean> f : mustClose) {
          assertThat(f.get()).as("hostile connection closed by the target").isTrue();
        }
      }
      long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

      assertThat(daemon.pid()).isPositive();
      ProcessResult inq = Initiator.inq(Initiator.url(daemon.portal(), IQN, 1, null, null));
      assertThat(inq.exitCode()).as("iscsi-inq after the attack: %s", inq).isZero();
      ProcessResult info =
          Initiator.qemuImg("info", Initiator.url(daemon.portal(), IQN, 1, null, null));
      assertThat(info.exitCode()).as("qemu-img info after the attack: %s", info).isZero();
      long peakKib = vmHwmKib(daemon.pid());
      daemon
          .logText()
          .lines()
          .filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("Error"))
          .limit(20)
          .forEach(l -> System.out.println("daemon log: " + l));
      for (Socket s : idle) {
        s.close();
      }
      System.out.printf(
          "HostileInitiatorIT: %d connections, %d bytes sent, %d closed by the target, %d of %d"
              + " idle connections from one address refused, %d s; daemon peak RSS %d MiB (bound"
              + " %d MiB, launcher defaults)%n",
          connections.get(),
          bytesSent.get(),
          closedByTarget.get(),
          idleRefused,
          IDLE_CONNECTIONS,
          seconds,
          peakKib / 1024,
          RSS_BOUND_MIB);
      assertThat(idleRefused).isGreaterThanOrEqualTo(IDLE_CONNECTIONS - 64);
      assertThat(daemon.logText())
          .as("no thread died in the daemon")
          .doesNotContain("Exception in thread")
          .doesNotContain("OutOfDirectMemoryError");
      assertThat(peakKib / 1024).as("daemon peak RSS in MiB").isLessThan(RSS_BOUND_MIB);
    }
  }

  private boolean garbage(Daemon daemon, int seed) throws IOException {
    byte[] junk = new byte[64 << 10];
    new Random(seed).nextBytes(junk);
    try (Socket s = connect(daemon)) {
      send(s, junk);
      return closedWithin(s, Duration.ofSeconds(10));
    }
  }

  private boolean hugeLengthClaim(Daemon daemon) throws IOException {
    try (Socket s = connect(daemon)) {
      send(s, HostilePdus.bhs(0x43, 0, 0xffffff).array());
      send(s, new byte[32 << 10]);
      return closedWithin(s, Duration.ofSeconds(10));
    }
  }

  private boolean ahsFlood(Daemon daemon) throws IOException {
    try (Socket s = connect(daemon)) {
      byte[] pdu = new byte[HostilePdus.BHS + 255 * 4];
      System.arraycopy(HostilePdus.bhs(0x43, 255, 0).array(), 0, pdu, 0, HostilePdus.BHS);
      for (int i = 0; i < 64; i++) {
        try {
          send(s, pdu);
        } catch (IOException closed) {
          break; // the target dropped the connection at the first PDU: what is tested here
        }
      }
      return closedWithin(s, Duration.ofSeconds(10));
    }
  }

  private boolean scsiBeforeLogin(Daemon daemon) throws IOException {
    try (Socket s = connect(daemon)) {
      send(s, HostilePdus.scsi(1, 1, false, 512, HostilePdus.rw10(false, 1)));
      return closedWithin(s, Duration.ofSeconds(10));
    }
  }

  private boolean endlessContinuations(Daemon daemon) throws IOException {
    try (Socket s = connect(daemon)) {
      String chunk = "X-Filler=" + "a".repeat(8000) + "\0";
      for (int i = 0; i < 200; i++) {
        try {
          send(s, HostilePdus.login(0x400000000001L, true, chunk));
        } catch (IOException closed) {
          break;
        }
      }
      return closedWithin(s, Duration.ofSeconds(10));
    }
  }

  /** Part of a BHS, then nothing: only the login deadline ends this one. */
  private boolean halfSentThenSilence(Daemon daemon) throws IOException {
    try (Socket s = connect(daemon)) {
      send(s, java.util.Arrays.copyOf(HostilePdus.bhs(0x43, 0, 100).array(), 20));
      return closedWithin(s, Duration.ofSeconds(25));
    }
  }

  /** Opens connections from one address until the target refuses them; returns how many it did. */
  private int idleFlood(Daemon daemon, List<Socket> keep) throws IOException {
    InetAddress from = InetAddress.getByName("127.0.0.2");
    int refused = 0;
    List<Socket> opened = new ArrayList<>();
    for (int i = 0; i < IDLE_CONNECTIONS; i++) {
      Socket s = new Socket();
      s.bind(new InetSocketAddress(from, 0));
      s.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 5000);
      connections.incrementAndGet();
      opened.add(s);
    }
    for (Socket s : opened) {
      if (closedWithin(s, Duration.ofMillis(20))) {
        refused++;
        s.close();
      } else {
        keep.add(s);
      }
    }
    return refused;
  }

  /** WRITEs of 32 MiB each that solicit R2Ts, far past the window, and never a byte of data. */
  private Void writesThatNeverSendData(Daemon daemon) throws IOException {
    try (Socket s = connect(daemon)) {
      int cmdSn = login(s, "iqn.2026-11.dev.lunar:writer");
      for (int i = 0; i < FLOOD_COMMANDS; i++) {
        send(s, HostilePdus.scsi(i + 1, cmdSn + i, true, 65535 * 512, writeCdb()));
      }
      drainFor(s, Duration.ofSeconds(2));
    } catch (IOException closed) {
      closedByTarget.incrementAndGet();
    }
    return null;
  }

  private static byte[] writeCdb() {
    return new byte[] {0x2a, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0};
  }

  /** READs of 64 KiB whose answers this initiator never reads. */
  private Void readsNeverRead(Daemon daemon) throws IOException {
    try (Socket s = connect(daemon)) {
      s.setReceiveBufferSize(4096);
      int cmdSn = login(s, "iqn.2026-11.dev.lunar:reader");
      for (int i = 0; i < FLOOD_COMMANDS; i++) {
        send(s, HostilePdus.scsi(i + 1, cmdSn + i, false, 128 * 512, HostilePdus.rw10(false, 128)));
      }
      sleep(Duration.ofSeconds(3));
    } catch (IOException closed) {
      closedByTarget.incrementAndGet();
    }
    return null;
  }

  /** Data-Out for tasks that never existed; a reset from the target is an acceptable answer. */
  private Void dataOutForUnknownTasks(Daemon daemon) throws IOException {
    try (Socket s = connect(daemon)) {
      login(s, "iqn.2026-11.dev.lunar:stray");
      for (int i = 0; i < FLOOD_COMMANDS; i++) {
        send(s, HostilePdus.dataOut(0x1000 + i, i, 0, 4096));
      }
      drainFor(s, Duration.ofSeconds(1));
    } catch (IOException closed) {
      closedByTarget.incrementAndGet();
    }
    return null;
  }

  /** Logs in with a raw Login Request; returns the CmdSN to use next. */
  private int login(Socket s, String name) throws IOException {
    long isid = 0x400000000000L | (name.hashCode() & 0xffffffffL);
    send(s, HostilePdus.login(isid, false, HostilePdus.normalSession(name, IQN)));
    InputStream in = s.getInputStream();
    byte[] bhs = in.readNBytes(HostilePdus.BHS);
    assertThat(bhs).as("login response BHS").hasSize(HostilePdus.BHS);
    ByteBuffer b = ByteBuffer.wrap(bhs);
    assertThat(b.getShort(36)).as("login status").isZero();
    int dataLength = b.getInt(4) & 0xffffff;
    in.readNBytes((dataLength + 3) & ~3);
    return b.getInt(28);
  }

  private Socket connect(Daemon daemon) throws IOException {
    Socket s = new Socket();
    int host = addresses.getAndIncrement() % 200 + 10;
    s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + host), 0));
    s.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 5000);
    s.setSoTimeout(30_000);
    connections.incrementAndGet();
    return s;
  }

  private void send(Socket s, byte[] bytes) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(bytes);
    out.flush();
    bytesSent.addAndGet(bytes.length);
  }

  /** Reads and discards until {@code limit} passes; true if the target closed first. */
  private boolean closedWithin(Socket s, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    byte[] sink = new byte[16 << 10];
    try {
      InputStream in = s.getInputStream();
      while (System.nanoTime() < deadline) {
        s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        if (in.read(sink) < 0) {
          closedByTarget.incrementAndGet();
          return true;
        }
      }
      return false;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      closedByTarget.incrementAndGet();
      return true;
    }
  }

  private void drainFor(Socket s, Duration limit) {
    closedWithin(s, limit);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Peak resident set size of a process, from {@code VmHWM} in /proc/PID/status. */
  static long vmHwmKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmHWM for pid " + pid);
  }
}
