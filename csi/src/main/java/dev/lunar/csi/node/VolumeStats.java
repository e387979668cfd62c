package dev.lunar.csi.node;

import csi.v1.Csi.NodeGetVolumeStatsResponse;
import csi.v1.Csi.VolumeUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** NodeGetVolumeStats' numbers: a mounted file system's space and inodes, a block volume's size. */
final class VolumeStats {

  private static final int S_IFMT = 0170000;
  private static final int S_IFBLK = 0060000;

  private final Path sysDevBlock;

  /**
   * @param sysDevBlock {@code /sys/dev/block}, where each block device's major:minor leads to its
   *     sysfs directory
   */
  VolumeStats(Path sysDevBlock) {
    this.sysDevBlock = sysDevBlock;
  }

  NodeGetVolumeStatsResponse of(Path path) throws IOException {
    int mode = (int) Files.getAttribute(path, "unix:mode");
    if ((mode & S_IFMT) == S_IFBLK) {
      return blockDevice(path);
    }
    Statvfs fs = Statvfs.of(path);
    long total = fs.blocks() * fs.blockSize();
    return NodeGetVolumeStatsResponse.newBuilder()
        .addUsage(
            VolumeUsage.newBuilder()
                .setUnit(VolumeUsage.Unit.BYTES)
                .setTotal(total)
                .setAvailable(fs.available() * fs.blockSize())
                .setUsed(total - fs.free() * fs.blockSize()))
        .addUsage(
            VolumeUsage.newBuilder()
                .setUnit(VolumeUsage.Unit.INODES)
                .setTotal(fs.files())
                .setAvailable(fs.freeFiles())
                .setUsed(fs.files() - fs.freeFiles()))
        .build();
  }

  /** A raw block volume has no free space to speak of; its size is what there is to report. */
  private NodeGetVolumeStatsResponse blockDevice(Path path) throws IOException {
    long rdev = (long) Files.getAttribute(path, "unix:rdev");
    // Linux's dev_t: the minor's low byte, the major's 12 bits, then the rest of the minor.
    long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
    long minor = (rdev & 0xff) | ((rdev >>> 12) & 0xffffff00L);
    String sectors =
        Files.readString(sysDevBlock.resolve(major + ":" + minor).resolve("size")).strip();
    return NodeGetVolumeStatsResponse.newBuilder()
        .addUsage(
            VolumeUsage.newBuilder()
                .setUnit(VolumeUsage.Unit.BYTES)
                .setTotal(Long.parseLong(sectors) * 512))
        .build();
  }
}
