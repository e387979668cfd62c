package dev.lunar.csi.node;

import static dev.lunar.csi.node.Calls.call;
import static dev.lunar.csi.node.NodeStageTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import csi.v1.Csi.NodeGetVolumeStatsRequest;
import csi.v1.Csi.VolumeUsage;
import io.grpc.Status;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NodeGetVolumeStats on real paths: statvfs for a directory, sysfs for a block device. */
class NodeVolumeStatsTest {

  @TempDir Path dir;

  private NodeService node(Path sysDevBlock) {
    return new NodeService(
        "iqn.node",
        new ScriptedRunner(),
        new NodeEnvironment(
            dir.resolve("state"),
            dir.resolve("by-path"),
            dir.resolve("sys/block"),
            sysDevBlock,
            Mounts.PROC_SELF_MOUNTINFO,
            Duration.ofSeconds(1)));
  }

  private static NodeGetVolumeStatsRequest stats(Path path) {
    return NodeGetVolumeStatsRequest.newBuilder()
        .setVolumeId("vol-1")
        .setVolumePath(path.toString())
        .build();
  }

  @Test
  void aDirectoryReportsItsFileSystemsBytesAndInodesFromStatvfs() throws Exception {
    var answer = call(node(dir)::nodeGetVolumeStats, stats(dir));

    assertThat(answer.getUsageList())
        .extracting(VolumeUsage::getUnit)
        .containsExactly(VolumeUsage.Unit.BYTES, VolumeUsage.Unit.INODES);
    VolumeUsage bytes = answer.getUsage(0);
    var store = Files.getFileStore(dir);
    assertThat(bytes.getTotal()).isEqualTo(store.getTotalSpace());
    assertThat(bytes.getAvailable()).isPositive().isLessThanOrEqualTo(bytes.getTotal());
    assertThat(bytes.getUsed()).isBetween(0L, bytes.getTotal());
    VolumeUsage inodes = answer.getUsage(1);
    assertThat(inodes.getUsed() + inodes.getAvailable()).isEqualTo(inodes.getTotal());
  }

  @Test
  void aPathThatDoesNotExistIsNotFound() {
    assertThatThrownBy(() -> call(node(dir)::nodeGetVolumeStats, stats(dir.resolve("gone"))))
        .satisfies(e -> assertCode(e, Status.Code.NOT_FOUND));
  }

  @Test
  void aRelativePathIsNotFoundEither() {
    assertThatThrownBy(() -> call(node(dir)::nodeGetVolumeStats, stats(Path.of("some/path"))))
        .satisfies(e -> assertCode(e, Status.Code.NOT_FOUND));
  }

  @Test
  void aBlockDeviceReportsItsSizeFromSysfs() throws Exception {
    Path device = anyBlockDevice();
    assumeTrue(device != null, "no readable block device in /dev on this machine");

    var answer = call(node(Path.of("/sys/dev/block"))::nodeGetVolumeStats, stats(device));

    String name = device.getFileName().toString();
    long size = Long.parseLong(Files.readString(Path.of("/sys/class/block", name, "size")).strip());
    assertThat(answer.getUsageList()).hasSize(1);
    assertThat(answer.getUsage(0).getUnit()).isEqualTo(VolumeUsage.Unit.BYTES);
    assertThat(answer.getUsage(0).getTotal()).isEqualTo(size * 512);
  }

  private static Path anyBlockDevice() throws Exception {
    Path classBlock = Path.of("/sys/class/block");
    if (!Files.isDirectory(classBlock)) {
      return null;
    }
    try (DirectoryStream<Path> devices = Files.newDirectoryStream(classBlock)) {
      for (Path device : devices) {
        Path node = Path.of("/dev", device.getFileName().toString());
        if (Files.exists(node) && !Files.isDirectory(node) && !Files.isRegularFile(node)) {
          return node;
        }
      }
    }
    return null;
  }
}
