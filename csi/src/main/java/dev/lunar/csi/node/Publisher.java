package dev.lunar.csi.node;

import io.grpc.Status;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NodePublishVolume and NodeUnpublishVolume: bind-mount a staged volume into a pod's directory, the
 * staged file system onto a directory or the LUN's device node onto a file, and take it away again.
 * The target path is ours to create and to delete (CSI spec, NodePublishVolume).
 */
final class Publisher {

  private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

  /** More than one mount stacked on a target path means an earlier unpublish half failed. */
  private static final int MAX_STACKED_MOUNTS = 8;

  private final Devices devices;
  private final Filesystems filesystems;
  private final Mounts mounts;
  private final StagingState state;

  Publisher(Devices devices, Filesystems filesystems, Mounts mounts, StagingState state) {
    this.devices = devices;
    this.filesystems = filesystems;
    this.mounts = mounts;
    this.state = state;
  }

  void publish(String volumeId, Path stagingPath, Path targetPath, boolean block, boolean readOnly)
      throws IOException {
    StagedVolume volume =
        state
            .find(volumeId)
            .orElseThrow(
                () ->
                    StageFailures.failedPrecondition(
                        "volume " + volumeId + " is not staged on this node"));
    if (!volume.stagingPath().equals(stagingPath)) {
      throw StageFailures.failedPrecondition(
          "volume " + volumeId + " is staged at " + volume.stagingPath() + ", not " + stagingPath);
    }
    if (volume.block() != block) {
      throw StageFailures.failedPrecondition(
          "volume "
              + volumeId
              + " is staged as a "
              + (volume.block() ? "block device" : "file system")
              + " and cannot be published as a "
              + (block ? "block device" : "file system"));
    }
    if (mounts.isMountPoint(targetPath)) {
      LOG.debug("volume {} is published at {} already", volumeId, targetPath);
      return;
    }
    Path source = block ? device(volume) : mountedStagingPath(volume);
    boolean created = createTarget(targetPath, block);
    try {
      filesystems.bind(source, targetPath, readOnly);
    } catch (IOException | RuntimeException e) {
      if (mounts.isMountPoint(targetPath)) {
        filesystems.unmount(targetPath);
      }
      if (created) {
        Files.deleteIfExists(targetPath);
      }
      throw e;
    }
    LOG.info("published volume {} at {}{}", volumeId, targetPath, readOnly ? " read-only" : "");
  }

  void unpublish(String volumeId, Path targetPath) throws IOException {
    for (int i = 0; mounts.isMountPoint(targetPath); i++) {
      if (i == MAX_STACKED_MOUNTS) {
        throw Status.INTERNAL
            .withDescription(targetPath + " stays a mount point after " + i + " unmounts")
            .asRuntimeException();
      }
      filesystems.unmount(targetPath);
    }
    try {
      if (Files.deleteIfExists(targetPath)) {
        LOG.info("unpublished volume {} from {}", volumeId, targetPath);
      }
    } catch (DirectoryNotEmptyException e) {
      // Not ours to empty: something wrote into the directory while nothing was mounted there.
      throw StageFailures.failedPrecondition(
          targetPath + " is not a mount point but not empty either; not deleting it");
    }
  }

  /** A raw block volume publishes the device node itself, resolved afresh from udev's link. */
  private Path device(StagedVolume volume) throws IOException {
    Path device =
        devices
            .find(volume.target(), volume.lun())
            .orElseThrow(
                () ->
                    StageFailures.failedPrecondition(
                        "volume "
                            + volume.volumeId()
                            + " is staged, but "
                            + devices.link(volume.target(), volume.lun())
                            + " is gone (session lost?); unstage and stage it again"));
    List<String> holders = devices.holders(device);
    if (!holders.isEmpty()) {
      throw StageFailures.claimed(device, holders, volume.target(), volume.lun());
    }
    return device;
  }

  private Path mountedStagingPath(StagedVolume volume) throws IOException {
    Optional<Mounts.Mount> mount = mounts.at(volume.stagingPath());
    if (mount.isEmpty()) {
      throw StageFailures.failedPrecondition(
          "volume "
              + volume.volumeId()
              + " is recorded as staged, but nothing is mounted at "
              + volume.stagingPath()
              + "; stage it again");
    }
    return volume.stagingPath();
  }

  /**
   * Creates the bind mount's target: a file for a device node, a directory for a file system.
   *
   * @return whether it was created here (and so is ours to remove on failure)
   */
  private static boolean createTarget(Path targetPath, boolean file) throws IOException {
    if (Files.exists(targetPath)) {
      return false;
    }
    Files.createDirectories(targetPath.toAbsolutePath().getParent());
    if (file) {
      Files.createFile(targetPath);
    } else {
      Files.createDirectory(targetPath);
    }
    return true;
  }
}
