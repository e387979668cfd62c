package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.testing.Commands;
import dev.lunar.testing.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CHAP and mutual CHAP configured through tgtadm, logins with right and wrong secrets, every show,
 * with JSON logs at TRACE: no password may appear in the daemon's output, in any tgtadm output
 * (errors included), or in any file of the state dir but {@code state.yaml}, which must be 0600 in
 * a 0700 directory. The control channel must be usable by root only and not on the network.
 */
class SecretLeakIT {

  private static final String IQN = "iqn.2026-11.dev.lunar.it:secrets";
  private static final String INCOMING = "Inc0ming-Secret-7a1";
  private static final String OUTGOING = "0utgoing-Secret-9b2";
  private static final String WRONG = "Wr0ng-Guess-3c4d";
  private static final String LATER = "Upd4ted-Secret-5e6";
  private static final List<String> SECRETS = List.of(INCOMING, OUTGOING, WRONG, LATER);

  @TempDir Path dir;

  private final List<ProcessResult> tgtadmOutputs = new ArrayList<>();

  @Test
  void passwordsAppearNowhereButTheRootOnlyStateFileAndTheControlChannelIsRootOnly()
      throws Exception {
    Path disk = Disks.sparse(dir.resolve("disk.img"), 16L << 20);
    try (Daemon daemon =
        new Daemon(dir).withEnv("LUNAR_LOG_FORMAT", "json").withEnv("LUNAR_LOG_LEVEL", "TRACE")) {
      daemon.start().exportDisk(IQN, disk);
      ok(daemon, account("new", "--user", "alice", "--password", INCOMING));
      ok(daemon, account("bind", "--tid", "1", "--user", "alice"));
      ok(daemon, account("new", "--user", "lunar-target", "--password", OUTGOING));
      ok(daemon, account("bind", "--tid", "1", "--user", "lunar-target", "--outgoing"));
      // Refused requests that carry a password: their errors must not echo it.
      assertThat(run(daemon, account("new", "--user", "alice", "--password", LATER)).exitCode())
          .isNotZero();
      run(daemon, account("new", "--user", "bad user", "--password", LATER));
      run(daemon, "--lld", "iscsi", "--mode", "target", "--op", "show", "--password", LATER);

      String good = "target_user=lunar-target&target_password=" + OUTGOING;
      String badTarget = "target_user=lunar-target&target_password=" + WRONG;
      assertLogin(daemon, "alice%" + INCOMING, null, true);
      assertLogin(daemon, "alice%" + INCOMING, good, true);
      assertLogin(daemon, "alice%" + WRONG, null, false);
      assertLogin(daemon, "alice%" + INCOMING, badTarget, false);
      assertLogin(daemon, null, null, false);
      ProcessResult discovery =
          Initiator.ls("-s", "iscsi://alice%" + INCOMING + "@" + daemon.portal());
      assertThat(discovery.all()).contains(IQN);

      ok(daemon, "--lld", "iscsi", "--mode", "target", "--op", "show");
      ok(daemon, "--lld", "iscsi", "--mode", "target", "--op", "show", "--tid", "1");
      ok(daemon, account("show"));
      run(daemon, "--lld", "iscsi", "--mode", "system", "--op", "show");
      assertThat(String.join("\n", tgtadmOutputs.stream().map(ProcessResult::all).toList()))
          .contains("lunar-target (outgoing)")
          .contains("alice");

      assertControlChannelIsRootOnly(daemon);
      daemon.sigterm();
      daemon.awaitExit(Duration.ofSeconds(15));

      String log = daemon.logText();
      assertThat(log).as("JSON log lines").contains("\"level\":\"INFO\"");
      assertNoSecret("daemon stdout and stderr", log);
      for (ProcessResult r : tgtadmOutputs) {
        assertNoSecret("tgtadm output", r.all());
      }
      int scanned = assertStateDirHoldsSecretsOnlyInStateYaml(daemon.stateDir());
      System.out.printf(
          "SecretLeakIT: %d log lines, %d tgtadm outputs and %d state files scanned for %d"
              + " passwords: none found; state.yaml 0600, control socket 0600, refused to uid"
              + " 65534%n",
          log.lines().count(), tgtadmOutputs.size(), scanned, SECRETS.size());
    }
  }

  private void assertLogin(Daemon daemon, String credentials, String mutual, boolean succeeds) {
    ProcessResult r = Initiator.inq(Initiator.url(daemon.portal(), IQN, 1, credentials, mutual));
    if (succeeds) {
      assertThat(r.exitCode()).as(r.toString()).isZero();
    } else {
      assertThat(r.exitCode()).as(r.toString()).isNotZero();
    }
  }

  private static String[] account(String op, String... rest) {
    List<String> all = new ArrayList<>(List.of("--lld", "iscsi", "--mode", "account", "--op", op));
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }

  private void ok(Daemon daemon, String... args) {
    ProcessResult r = run(daemon, args);
    assertThat(r.exitCode()).as("tgtadm %s: %s", String.join(" ", args), r).isZero();
  }

  private ProcessResult run(Daemon daemon, String... args) {
    ProcessResult r = daemon.tgtadm(args);
    tgtadmOutputs.add(r);
    return r;
  }

  private static void assertNoSecret(String where, String text) {
    for (String secret : SECRETS) {
      assertThat(text).as("%s must not contain a password", where).doesNotContain(secret);
    }
  }

  /** Returns the number of files scanned. */
  private static int assertStateDirHoldsSecretsOnlyInStateYaml(Path stateDir) throws IOException {
    assertThat(mode(stateDir)).isEqualTo("rwx------");
    Path stateYaml = stateDir.resolve("state.yaml");
    assertThat(mode(stateYaml)).isEqualTo("rw-------");
    assertThat(Files.readString(stateYaml)).as("the secrets are persisted").contains(INCOMING);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(stateDir)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (name.equals("state.yaml") || name.equals("state.yaml.prev")) {
        // The previous copy holds them too; it is just as closed.
        assertThat(mode(file)).as(file.toString()).isEqualTo("rw-------");
        continue;
      }
      assertNoSecret(file.toString(), new String(Files.readAllBytes(file), "ISO-8859-1"));
    }
    return files.size();
  }

  /**
   * The control socket is 0600 and refuses another user even when every directory above it lets
   * that user through; the daemon listens on no TCP port but the iSCSI portal.
   */
  private static void assertControlChannelIsRootOnly(Daemon daemon) throws Exception {
    Path socket = daemon.controlDir().resolve("tgtd.1.sock");
    assertThat(mode(socket)).isEqualTo("rw-------");
    for (Path p = daemon.controlDir(); p != null; p = p.getParent()) {
      if (p.startsWith(daemon.workDir())) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
      }
    }
    ProcessResult asNobody =
        Commands.capture(
            Duration.ofSeconds(30),
            List.of(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "/usr/bin/python3",
                "-c",
                "import socket,sys\n"
                    + "s=socket.socket(socket.AF_UNIX)\n"
                    + "try:\n  s.connect(sys.argv[1]); print('CONNECTED')\n"
                    + "except PermissionError: print('REFUSED')\n",
                socket.toString()));
    assertThat(asNobody.stdout()).as(asNobody.toString()).contains("REFUSED");
    assertThat(listeningTcpPorts(daemon.pid())).containsExactly(daemon.port());
  }

  /** Local ports of the TCP sockets in LISTEN state that the process holds. */
  private static Set<Integer> listeningTcpPorts(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // the fd went away while listing
        }
      }
    }
    Set<Integer> ports = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : Files.readAllLines(Path.of(table)).stream().skip(1).toList()) {
        String[] f = line.trim().split("\\s+");
        // sl local_address rem_address st ... inode (field 9); st 0A is LISTEN
        if (f[3].equals("0A") && inodes.contains(f[9])) {
          ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
        }
      }
    }
    return ports;
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
