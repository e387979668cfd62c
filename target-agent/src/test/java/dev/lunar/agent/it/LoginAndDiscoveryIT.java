package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.testing.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery, login, CHAP, ACLs and digests against the daemon as a process, driven by libiscsi's
 * iscsi-ls and iscsi-inq.
 */
class LoginAndDiscoveryIT {

  private static final String OPEN = "iqn.2026-11.dev.lunar.it:open";
  private static final String CHAP = "iqn.2026-11.dev.lunar.it:chap";
  private static final String CLOSED = "iqn.2026-11.dev.lunar.it:closed";
  private static final String NAMED = "iqn.2026-11.dev.lunar.it:named";
  private static final String ALLOWED_INITIATOR = "iqn.2026-11.dev.lunar.it:allowed-host";

  @TempDir static Path dir;
  private static Daemon daemon;

  @BeforeAll
  static void startDaemon() throws IOException {
    Path disk = Disks.sparse(dir.resolve("disk.img"), 16L << 20);
    daemon = new Daemon(dir).start();
    target(1, OPEN, disk);
    daemon.tgtadmOk(bind(1, "-I", "ALL"));
    target(2, CHAP, disk);
    daemon.tgtadmOk(bind(2, "-I", "127.0.0.1"));
    daemon.tgtadmOk(account("new", "--user", "alice", "--password", "alice-secret-1"));
    daemon.tgtadmOk(account("bind", "--tid", "2", "--user", "alice"));
    daemon.tgtadmOk(account("new", "--user", "lunar-target", "--password", "target-secret-1"));
    daemon.tgtadmOk(account("bind", "--tid", "2", "--user", "lunar-target", "--outgoing"));
    target(3, CLOSED, disk);
    target(4, NAMED, disk);
    daemon.tgtadmOk(bind(4, "-Q", ALLOWED_INITIATOR));
  }

  private static void target(int tid, String iqn, Path disk) {
    daemon.tgtadmOk(
        "--lld", "iscsi", "--mode", "target", "--op", "new", "--tid", "" + tid, "-T", iqn);
    daemon.tgtadmOk(
        "--lld",
        "iscsi",
        "--mode",
        "logicalunit",
        "--op",
        "new",
        "--tid",
        "" + tid,
        "--lun",
        "1",
        "-b",
        disk.toString());
  }

  private static String[] bind(int tid, String flag, String value) {
    return new String[] {
      "--lld", "iscsi", "--mode", "target", "--op", "bind", "--tid", "" + tid, flag, value
    };
  }

  private static String[] account(String op, String... rest) {
    String[] head = {"--lld", "iscsi", "--mode", "account", "--op", op};
    String[] all = new String[head.length + rest.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(rest, 0, all, head.length, rest.length);
    return all;
  }

  @AfterAll
  static void stopDaemon() {
    if (daemon != null) {
      daemon.close();
    }
  }

  @Test
  void discoveryListsOnlyTheTargetsTheInitiatorMayUseWithTheirPortal() {
    ProcessResult result = Initiator.ls("iscsi://" + daemon.portal());

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout())
        .contains("Target:" + OPEN + " Portal:" + daemon.portal() + ",1")
        .contains("Target:" + CHAP + " Portal:" + daemon.portal() + ",1")
        .doesNotContain(CLOSED)
        .doesNotContain(NAMED);
  }

  @Test
  void discoveryByAnAllowedInitiatorNameListsItsTarget() {
    ProcessResult result = Initiator.ls("-i", ALLOWED_INITIATOR, "iscsi://" + daemon.portal());

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).contains("Target:" + NAMED + " Portal:" + daemon.portal() + ",1");
  }

  @Test
  void discoveryWithChapListsTheChapTarget() {
    ProcessResult result = Initiator.ls("-s", "iscsi://alice%alice-secret-1@" + daemon.portal());

    assertThat(result.stdout())
        .as(result.toString())
        .contains("Target:" + CHAP + " Portal:" + daemon.portal() + ",1")
        .contains("Lun:1    Type:DIRECT_ACCESS (Size:15M)");
  }

  @Test
  void inquiryOfLunOneDescribesADisk() {
    ProcessResult result = Initiator.inq(Initiator.url(daemon.portal(), OPEN, 1, null, null));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout())
        .contains("Peripheral Device Type:DIRECT_ACCESS")
        .contains("CmdQue:1");
  }

  @Test
  void inquiryOfLunZeroDescribesTheController() {
    ProcessResult result = Initiator.inq(Initiator.url(daemon.portal(), OPEN, 0, null, null));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).contains("Peripheral Device Type:STORAGE_ARRAY_CONTROLLER");
  }

  @Test
  void readCapacity16ReportsTheBackingFileSize() {
    ProcessResult result =
        Initiator.readCapacity16(Initiator.url(daemon.portal(), OPEN, 1, null, null));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout())
        .contains("LOGICAL BLOCK LENGTH IN BYTES:512")
        .contains("Total size:" + (16L << 20));
  }

  @Test
  void loginIsRefusedWhenNoAclIsBound() {
    ProcessResult result = Initiator.inq(Initiator.url(daemon.portal(), CLOSED, 1, null, null));

    assertThat(result.exitCode()).as(result.toString()).isNotZero();
    assertThat(result.all()).contains("Login Failed");
  }

  @Test
  void loginByNameAclAdmitsTheListedInitiatorOnly() {
    String url = Initiator.url(daemon.portal(), NAMED, 1, null, null);

    ProcessResult listed = Initiator.inq("-i", ALLOWED_INITIATOR, url);
    ProcessResult unlisted = Initiator.inq("-i", "iqn.2026-11.dev.lunar.it:stranger", url);

    assertThat(listed.exitCode()).as(listed.toString()).isZero();
    assertThat(unlisted.exitCode()).as(unlisted.toString()).isNotZero();
    assertThat(unlisted.all()).contains("Login Failed");
  }

  @Test
  void chapLoginNeedsTheRightSecret() {
    ProcessResult none = Initiator.inq(Initiator.url(daemon.portal(), CHAP, 1, null, null));
    ProcessResult wrong =
        Initiator.inq(Initiator.url(daemon.portal(), CHAP, 1, "alice%not-the-secret", null));
    ProcessResult right =
        Initiator.inq(Initiator.url(daemon.portal(), CHAP, 1, "alice%alice-secret-1", null));

    assertThat(none.exitCode()).as(none.toString()).isNotZero();
    assertThat(wrong.exitCode()).as(wrong.toString()).isNotZero();
    assertThat(wrong.all()).contains("Authentication failure");
    assertThat(right.exitCode()).as(right.toString()).isZero();
  }

  @Test
  void mutualChapSucceedsWithTheTargetSecretAndFailsWithAnother() {
    String good = "target_user=lunar-target&target_password=target-secret-1";
    String bad = "target_user=lunar-target&target_password=some-other-secret";

    ProcessResult right =
        Initiator.inq(Initiator.url(daemon.portal(), CHAP, 1, "alice%alice-secret-1", good));
    ProcessResult wrong =
        Initiator.inq(Initiator.url(daemon.portal(), CHAP, 1, "alice%alice-secret-1", bad));

    assertThat(right.exitCode()).as(right.toString()).isZero();
    assertThat(wrong.exitCode()).as(wrong.toString()).isNotZero();
    assertThat(wrong.all()).contains("Invalid CHAP_R response from the target");
  }

  @Test
  void manySessionsAtOnceAllSucceed() throws Exception {
    String url = Initiator.url(daemon.portal(), OPEN, 1, null, null);
    java.util.List<java.util.concurrent.Future<ProcessResult>> runs = new java.util.ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 16; i++) {
        String name = "iqn.2026-11.dev.lunar.it:host-" + i;
        runs.add(pool.submit(() -> Initiator.readCapacity16("-i", name, url)));
      }
    }
    for (var run : runs) {
      ProcessResult result = run.get();
      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.stdout()).contains("Total size:" + (16L << 20));
    }
  }

  @Test
  void headerDigestCrc32cWorks() {
    ProcessResult result =
        Initiator.inq(Initiator.url(daemon.portal(), OPEN, 1, null, "header_digest=crc32c"));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).contains("Peripheral Device Type:DIRECT_ACCESS");
  }

  @Test
  void secretsNeverReachTheLogOrShow() throws IOException {
    Initiator.inq(Initiator.url(daemon.portal(), CHAP, 1, "alice%alice-secret-1", null));
    String show = daemon.tgtadmOk("--lld", "iscsi", "--mode", "target", "--op", "show");
    String accounts = daemon.tgtadmOk("--lld", "iscsi", "--mode", "account", "--op", "show");

    assertThat(show + accounts + daemon.logText())
        .doesNotContain("alice-secret-1")
        .doesNotContain("target-secret-1");
    assertThat(accounts).contains("alice").contains("lunar-target");
    assertThat(show).contains("lunar-target (outgoing)");
    for (Path p : Files.list(dir.resolve("state")).toList()) {
      assertThat(Files.getPosixFilePermissions(p).toString())
          .isEqualTo("[OWNER_READ, OWNER_WRITE]");
    }
  }
}
