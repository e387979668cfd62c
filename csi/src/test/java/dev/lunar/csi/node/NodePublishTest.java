package dev.lunar.csi.node;

import static dev.lunar.csi.node.Calls.call;
import static dev.lunar.csi.node.NodeStageTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NodePublishVolume and NodeUnpublishVolume: bind mounts of staged volumes into pods. */
class NodePublishTest {

  @TempDir Path dir;
  private FakeHost host;
  private NodeService node;
  private Path staging;
  private Path target;
  private Path sdb;

  @BeforeEach
  void setUp() throws Exception {
    host = new FakeHost(dir);
    node = host.service();
    sdb = host.exportLun(FakeHost.TARGET, 1, "sdb");
    staging = dir.resolve("kubelet/plugins/kubernetes.io/csi/iscsi.lunar.dev/h/globalmount");
    target = dir.resolve("kubelet/pods/p1/volumes/kubernetes.io~csi/pvc-1/mount");
  }

  @Test
  void aFileSystemIsPublishedByBindMountingTheStagingPath() throws Exception {
    call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build());
    host.runner.forget();

    call(node::nodePublishVolume, Requests.publish("vol-1", staging, target).build());

    assertThat(host.runner.lines()).containsExactly("mount --bind " + staging + " " + target);
    assertThat(target).isDirectory();
    assertThat(host.isMounted(target)).isTrue();
  }

  @Test
  void aReadOnlyPublishRemountsTheBindReadOnly() {
    call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build());
    host.runner.forget();

    call(
        node::nodePublishVolume,
        Requests.publish("vol-1", staging, target).setReadonly(true).build());

    assertThat(host.runner.lines())
        .containsExactly(
            "mount --bind " + staging + " " + target, "mount -o remount,bind,ro " + target);
  }

  @Test
  void aRawBlockVolumePublishesItsDeviceNodeOntoAFile() throws Exception {
    call(
        node::nodeStageVolume,
        Requests.stage("vol-1", 1, staging).setVolumeCapability(Requests.block()).build());
    host.runner.forget();
    Path file = dir.resolve("kubelet/plugins/kubernetes.io/csi/volumeDevices/publish/vol-1/p1");

    call(
        node::nodePublishVolume,
        Requests.publish("vol-1", staging, file).setVolumeCapability(Requests.block()).build());

    assertThat(host.runner.lines()).containsExactly("mount --bind " + sdb + " " + file);
    assertThat(file).isRegularFile();
  }

  @Test
  void publishingTwiceSucceedsAndMountsOnce() {
    call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build());
    call(node::nodePublishVolume, Requests.publish("vol-1", staging, target).build());
    host.runner.forget();

    call(node::nodePublishVolume, Requests.publish("vol-1", staging, target).build());

    assertThat(host.runner.lines()).isEmpty();
  }

  @Test
  void publishingAVolumeThatIsNotStagedIsFailedPrecondition() {
    assertThatThrownBy(
            () -> call(node::nodePublishVolume, Requests.publish("vol-9", staging, target).build()))
        .satisfies(e -> assertCode(e, Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining("not staged");
    assertThat(target).doesNotExist();
  }

  @Test
  void publishingWithoutAStagingPathIsFailedPrecondition() {
    assertThatThrownBy(
            () ->
                call(
                    node::nodePublishVolume,
                    Requests.publish("vol-1", staging, target).clearStagingTargetPath().build()))
        .satisfies(e -> assertCode(e, Status.Code.FAILED_PRECONDITION));
  }

  @Test
  void publishingAFileSystemVolumeAsBlockIsFailedPrecondition() {
    call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build());

    assertThatThrownBy(
            () ->
                call(
                    node::nodePublishVolume,
                    Requests.publish("vol-1", staging, target)
                        .setVolumeCapability(Requests.block())
                        .build()))
        .satisfies(e -> assertCode(e, Status.Code.FAILED_PRECONDITION));
  }

  @Test
  void aFailedBindLeavesNoTargetPathBehind() {
    call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build());
    host.runner.when("mount --bind", 32, "mount: permission denied");

    assertThatThrownBy(
            () -> call(node::nodePublishVolume, Requests.publish("vol-1", staging, target).build()))
        .satisfies(e -> assertCode(e, Status.Code.INTERNAL))
        .hasMessageContaining("permission denied");
    assertThat(target).doesNotExist();
  }

  @Test
  void unpublishingUnmountsAndDeletesTheTargetPath() throws Exception {
    call(node::nodeStageVolume, Requests.stage("vol-1", 1, staging).build());
    call(node::nodePublishVolume, Requests.publish("vol-1", staging, target).build());
    host.runner.forget();

    call(node::nodeUnpublishVolume, Requests.unpublish("vol-1", target));

    assertThat(host.runner.lines()).containsExactly("umount " + target);
    assertThat(target).doesNotExist();
    assertThat(host.isMounted(staging)).isTrue();
  }

  @Test
  void unpublishingTwiceOrSomethingNeverPublishedSucceeds() {
    call(node::nodeUnpublishVolume, Requests.unpublish("vol-1", target));
    call(node::nodeUnpublishVolume, Requests.unpublish("vol-1", target));

    assertThat(host.runner.lines()).isEmpty();
  }

  @Test
  void aNonEmptyUnmountedTargetIsNotDeleted() throws Exception {
    Files.createDirectories(target);
    Files.writeString(target.resolve("data"), "a pod's file");

    assertThatThrownBy(() -> call(node::nodeUnpublishVolume, Requests.unpublish("vol-1", target)))
        .satisfies(e -> assertCode(e, Status.Code.FAILED_PRECONDITION));
    assertThat(target.resolve("data")).exists();
  }
}
