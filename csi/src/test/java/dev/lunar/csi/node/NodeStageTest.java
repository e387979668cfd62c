package dev.lunar.csi.node;

import static dev.lunar.csi.node.Calls.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NodeStageVolume and NodeUnstageVolume against a scripted iscsiadm and a fake host. */
class NodeStageTest {

  private static final String IQN_PORTAL = "-T " + FakeHost.IQN + " -p " + FakeHost.PORTAL;

  @TempDir Path dir;
  private FakeHost host;
  private NodeService node;
  private Path staging;
  private Path sdb;

  @BeforeEach
  void setUp() throws Exception {
    host = new FakeHost(dir);
    node = host.service();
    staging = dir.resolve("kubelet/plugins/kubernetes.io/csi/iscsi.lunar.dev/vol-1/globalmount");
    sdb = host.exportLun(FakeHost.TARGET, 1, "sdb");
  }

  @Test
  void stagesWithChapLoggingInOnceAndNeverShowingTheSecret() throws Exception {
    try (LogCapture log = new LogCapture()) {
      call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build());

      assertThat(host.runner.lines())
          .containsExactly(
              "iscsiadm -m node " + IQN_PORTAL + " -o new",
              "iscsiadm -m node "
                  + IQN_PORTAL
                  + " -o update -n node.session.timeo.replacement_timeout -v 180",
              "iscsiadm -m node "
                  + IQN_PORTAL
                  + " -o update -n node.session.initial_login_retry_max -v 4",
              "iscsiadm -m node "
                  + IQN_PORTAL
                  + " -o update -n node.session.auth.authmethod -v CHAP",
              "iscsiadm -m node "
                  + IQN_PORTAL
                  + " -o update -n node.session.auth.username -v pvc-1-initiator",
              "iscsiadm -m node "
                  + IQN_PORTAL
                  + " -o update -n node.session.auth.password -v "
                  + Requests.SECRET,
              "iscsiadm -m node " + IQN_PORTAL + " --login",
              "blkid -p -o export " + sdb,
              "mkfs.ext4 -F " + sdb,
              "mount -t ext4 " + sdb + " " + staging);
      assertThat(host.isMounted(staging)).isTrue();
      assertThat(host.runner.shown())
          .contains(
              "iscsiadm -m node " + IQN_PORTAL + " -o update -n node.session.auth.password -v ***")
          .noneMatch(line -> line.contains(Requests.SECRET));
      assertThat(log.messages()).isNotEmpty().noneMatch(line -> line.contains(Requests.SECRET));
    }
  }

  @Test
  void mutualChapSetsTheTargetsCredentialsTooUnderKubeletsKeys() {
    call(
        node::nodeStageVolume,
        Requests.stage("vol-1", 1, staging)
            .clearSecrets()
            .putSecrets("node.session.auth.username", "init")
            .putSecrets("node.session.auth.password", Requests.SECRET)
            .putSecrets("node.session.auth.username_in", "tgt")
            .putSecrets("node.session.auth.password_in", Requests.SECRET_IN)
            .build());

    assertThat(host.runner.linesWith("-o update -n node.session.auth"))
        .extracting(line -> line.substring(line.indexOf("-n ")))
        .containsExactly(
            "-n node.session.auth.authmethod -v CHAP",
            "-n node.session.auth.username -v init",
            "-n node.session.auth.password -v " + Requests.SECRET,
            "-n node.session.auth.username_in -v tgt",
            "-n node.session.auth.password_in -v " + Requests.SECRET_IN);
    assertThat(host.runner.shown())
        .noneMatch(line -> line.contains(Requests.SECRET) || line.contains(Requests.SECRET_IN));
  }

  @Test
  void aVolumeWithoutSecretsLogsInWithoutChap() {
    call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).clearSecrets().build());

    assertThat(host.runner.linesWith("node.session.auth"))
        .containsExactly(
            "iscsiadm -m node "
                + IQN_PORTAL
                + " -o update -n node.session.auth.authmethod -v None");
  }

  @Test
  void stagingAgainWithTheSameArgumentsSucceedsAndTouchesNothing() {
    call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build());
    host.runner.forget();

    call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build());

    assertThat(host.runner.lines()).isEmpty();
  }

  @Test
  void stagingAgainAfterTheMountWentAwayStagesAgainWithoutFormatting() throws Exception {
    call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build());
    host.runner.run(Command.of("umount", staging.toString()), Duration.ZERO);
    host.runner.forget();
    // After a node reboot: the record survived, the session and the mount did not.
    host.runner.when("--login", 0, "");

    call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build());

    assertThat(host.isMounted(staging)).isTrue();
    assertThat(host.runner.linesWith("mkfs")).isEmpty();
  }

  @Test
  void stagingTheVolumeDifferentlyIsAlreadyExists() {
    call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build());

    assertThatThrownBy(
            () ->
                call(
                    node::nodeStageVolume,
                    Requests.stage("vol-1", 1, staging)
                        .setVolumeCapability(Requests.mount("xfs"))
                        .build()))
        .satisfies(e -> assertCode(e, Status.Code.ALREADY_EXISTS));
  }

  @Test
  void anExistingExt4IsMountedNotFormatted() {
    host.formatted(sdb, "ext4");

    call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build());

    assertThat(host.runner.linesWith("mkfs")).isEmpty();
    assertThat(host.runner.linesWith("mount -t ext4")).hasSize(1);
  }

  @Test
  void anotherFileSystemThanAskedIsRefusedNotReformatted() throws Exception {
    host.formatted(sdb, "xfs");

    assertThatThrownBy(
            () -> call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build()))
        .satisfies(e -> assertCode(e, Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining("holds xfs");
    assertThat(host.runner.linesWith("mkfs")).isEmpty();
    assertThat(host.runner.linesWith("--logout")).hasSize(1);
    assertThat(Files.list(host.state)).isEmpty();
  }

  @Test
  void mountFlagsFromTheCapabilityReachMount() {
    call(
        node::nodeStageVolume,
        Requests.stage("vol-1", 1, staging)
            .setVolumeCapability(
                Requests.mount("ext4").toBuilder()
                    .setMount(
                        Requests.mount("ext4").getMount().toBuilder()
                            .addMountFlags("noatime")
                            .addMountFlags("discard")))
            .build());

    assertThat(host.runner.linesWith("mount -t"))
        .containsExactly("mount -t ext4 -o noatime,discard " + sdb + " " + staging);
  }

  @Test
  void aRawBlockVolumeIsLoggedInButNeitherFormattedNorMounted() {
    call(
        node::nodeStageVolume,
        Requests.stage("vol-1", 1, staging).setVolumeCapability(Requests.block()).build());

    assertThat(host.runner.linesWith("--login")).hasSize(1);
    assertThat(host.runner.linesWith("blkid")).isEmpty();
    assertThat(host.runner.linesWith("mount")).isEmpty();
  }

  @Test
  void aStaleSessionIsRescannedInsteadOfLoggedInTwice() throws Exception {
    host.runner.when(
        "--login",
        15,
        "iscsiadm: default: 1 session requested, but 1 already present.\n"
            + "iscsiadm: Could not log into all portals");

    call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build());

    assertThat(host.runner.linesWith("iscsiadm"))
        .endsWith(
            "iscsiadm -m node " + IQN_PORTAL + " --login",
            "iscsiadm -m node " + IQN_PORTAL + " --rescan");
    assertThat(host.isMounted(staging)).isTrue();
  }

  @Test
  void aLinkWhoseAddressTheKernelSpellsOtherwiseIsFoundByPortIqnAndLun() throws Exception {
    // The kernel may spell an IPv6 connection address in full where Java compresses it.
    host.runner.when(
        "--login",
        argv -> {
          Files.createSymbolicLink(
              host.byPath.resolve(
                  "ip-fd00:0000:0000:0000:0000:0000:0000:0005:3260-iscsi-"
                      + FakeHost.IQN
                      + "-lun-1"),
              Path.of("../../sdb"));
          return ScriptedRunner.ok();
        });

    call(
        node::nodeStageVolume,
        Requests.stage("vol-1", 1, staging).putVolumeContext("portal", "[fd00::5]:3260").build());

    assertThat(host.runner.linesWith("mount -t"))
        .containsExactly("mount -t ext4 " + sdb + " " + staging);
  }

  @Test
  void aDeviceThatNeverAppearsFailsAfterTheBoundedWaitAndLogsOut() throws Exception {
    NodeService patient =
        new NodeService("iqn.node", host.runner, host.environment(Duration.ofMillis(400)));
    long start = System.nanoTime();

    assertThatThrownBy(
            () -> call(patient::nodeStageVolume, Requests.stage("vol-7", 7, staging).build()))
        .satisfies(e -> assertCode(e, Status.Code.INTERNAL))
        .hasMessageContaining("LUN 7 did not appear as")
        .hasMessageContaining(FakeHost.TARGET.byPathName(7))
        .hasMessageContaining("within 400 ms");

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
    assertThat(host.runner.linesWith("iscsiadm"))
        .endsWith(
            "iscsiadm -m node " + IQN_PORTAL + " --logout",
            "iscsiadm -m node " + IQN_PORTAL + " -o delete");
    assertThat(Files.list(host.state)).isEmpty();
  }

  @Test
  void aDiskThatMultipathdHoldsIsRefusedWithTheFixAndLoggedOut() throws Exception {
    Files.createDirectories(host.sysBlock.resolve("sdb/holders/dm-3"));

    assertThatThrownBy(
            () -> call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build()))
        .satisfies(e -> assertCode(e, Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining("dm-3 holds it")
        .hasMessageContaining("/etc/multipath.conf")
        .hasMessageContaining("vendor \"LUNAR\"");
    assertThat(host.runner.linesWith("mount")).isEmpty();
    assertThat(host.runner.linesWith("--logout")).hasSize(1);
  }

  @Test
  void aRejectedChapLoginIsFailedPreconditionWithoutTheSecret() {
    host.runner.when(
        "--login",
        24,
        "iscsiadm: Could not login to [iface: default, target: "
            + FakeHost.IQN
            + ", portal: 192.0.2.10,3260].\n");

    try (LogCapture log = new LogCapture()) {
      assertThatThrownBy(
              () -> call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build()))
          .satisfies(e -> assertCode(e, Status.Code.FAILED_PRECONDITION))
          .hasMessageContaining("rejected the CHAP credentials")
          .hasMessageNotContaining(Requests.SECRET);
      assertThat(log.messages()).noneMatch(line -> line.contains(Requests.SECRET));
    }
    assertThat(host.runner.linesWith("-o delete")).hasSize(1);
  }

  @Test
  void aToolThatEchoesTheSecretInItsErrorHasItMaskedInTheAnswerAndTheLog() {
    host.runner.when(
        "node.session.auth.password",
        7,
        "iscsiadm: Cannot modify node.session.auth.password to " + Requests.SECRET);

    try (LogCapture log = new LogCapture()) {
      assertThatThrownBy(
              () -> call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build()))
          .satisfies(e -> assertCode(e, Status.Code.INTERNAL))
          .hasMessageContaining("Cannot modify node.session.auth.password to ***")
          .hasMessageNotContaining(Requests.SECRET);
      assertThat(log.messages()).isNotEmpty().noneMatch(line -> line.contains(Requests.SECRET));
    }
    assertThat(host.runner.linesWith("--login")).isEmpty();
  }

  @Test
  void anUnreachablePortalIsUnavailable() {
    host.runner.when("--login", 8, "iscsiadm: connection login retries (reopen_max) 5 exceeded");

    assertThatThrownBy(
            () -> call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build()))
        .satisfies(e -> assertCode(e, Status.Code.UNAVAILABLE));
  }

  @Test
  void unstagingKeepsTheSessionWhileAnotherLunOfTheTargetIsStaged() throws Exception {
    host.exportLun(FakeHost.TARGET, 2, "sdc");
    Path staging2 = dir.resolve("kubelet/vol-2/globalmount");
    call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build());
    call(node::nodeStageVolume, Requests.stage("vol-2", 2, staging2).build());
    host.runner.forget();
    // A restarted plugin knows about vol-2 from the state directory alone.
    NodeService restarted = host.service();

    call(restarted::nodeUnstageVolume, Requests.unstage("vol-1", staging));

    assertThat(host.runner.lines()).containsExactly("umount " + staging);
    assertThat(host.isMounted(staging)).isFalse();
    assertThat(host.isMounted(staging2)).isTrue();
    // The unstaged LUN's disk is removed from the kernel; the session stays for sdc.
    assertThat(host.sysBlock.resolve("sdb/device/delete")).hasContent("1");
    assertThat(host.sysBlock.resolve("sdc/device/delete")).hasContent("");
  }

  @Test
  void unstagingTheLastLunOfTheTargetLogsOutAndDeletesTheRecord() throws Exception {
    call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build());
    host.runner.forget();

    call(node::nodeUnstageVolume, Requests.unstage("vol-1", staging));

    assertThat(host.runner.lines())
        .containsExactly(
            "umount " + staging,
            "iscsiadm -m node " + IQN_PORTAL + " --logout",
            "iscsiadm -m node " + IQN_PORTAL + " -o delete");
    assertThat(Files.list(host.state)).isEmpty();
  }

  @Test
  void unstagingWhenTheSessionIsGoneAlreadySucceeds() {
    call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build());
    host.runner.when("--logout", 21, "iscsiadm: No matching sessions found");
    host.runner.when("-o delete", 21, "iscsiadm: No records found");

    call(node::nodeUnstageVolume, Requests.unstage("vol-1", staging));

    assertThat(host.runner.linesWith("--logout")).hasSize(1);
  }

  @Test
  void unstagingAnUnknownVolumeSucceedsAndRunsNothing() {
    call(node::nodeUnstageVolume, Requests.unstage("never-staged", staging));

    assertThat(host.runner.lines()).isEmpty();
  }

  @Test
  void aBusyUnmountFailsTheUnstageAndKeepsTheSession() {
    call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build());
    host.runner.when("umount", 32, "umount: " + staging + ": target is busy.");

    assertThatThrownBy(() -> call(node::nodeUnstageVolume, Requests.unstage("vol-1", staging)))
        .satisfies(e -> assertCode(e, Status.Code.INTERNAL))
        .hasMessageContaining("target is busy");
    assertThat(host.runner.linesWith("--logout")).isEmpty();
  }

  static void assertCode(Throwable e, Status.Code code) {
    assertThat(e).isInstanceOf(StatusRuntimeException.class);
    assertThat(((StatusRuntimeException) e).getStatus().getCode())
        .as("%s", e.getMessage())
        .isEqualTo(code);
  }
}
