package dev.lunar.agent.node.inventory;

import static dev.lunar.testing.Commands.run;
import static dev.lunar.testing.Commands.runQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory of this very machine with a real loop device: blank it is safe, with a filesystem
 * it is not, mounted it is not. Needs root (losetup, mount); always detaches what it attached.
 */
class HostDiskInventoryIT {

  @TempDir Path dir;

  @Test
  void loopDeviceIsSafeBlankAndUnsafeOnceFormattedOrMounted() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root for losetup");
    Path image = dir.resolve("loop.img");
    try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
      f.setLength(64L << 20);
    }
    String device = run("losetup", "-f", "--show", image.toString()).trim();
    Path mountPoint = Files.createDirectories(dir.resolve("mnt"));
    try {
      String name = Path.of(device).getFileName().toString();
      DiskInventory host = DiskInventory.ofHost();

      BlockDevice blank = host.inspect(find(host.scan(), name));
      run("mkfs.ext4", "-q", "-F", device);
      BlockDevice formatted = host.inspect(find(host.scan(), name));
      run("mount", device, mountPoint.toString());
      BlockDevice mounted = find(host.scan(), name);

      assertThat(blank.sizeBytes()).isEqualTo(64L << 20);
      assertThat(blank.safe()).as(blank.toString()).isTrue();
      assertThat(formatted.reason()).isEqualTo("holds a ext4 signature");
      assertThat(mounted.reason()).isEqualTo("mounted or used as swap");
    } finally {
      runQuietly("umount", mountPoint.toString());
      runQuietly("losetup", "-d", device);
    }
  }

  private static BlockDevice find(List<BlockDevice> disks, String name) {
    return disks.stream()
        .filter(d -> d.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in " + disks));
  }
}
