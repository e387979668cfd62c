package dev.lunar.agent.node;

import static dev.lunar.testing.Commands.run;
import static dev.lunar.testing.Commands.runQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.node.inventory.BlockDevice;
import dev.lunar.agent.node.inventory.DiskInventory;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real loop device, full of a previous tenant's bytes, zeroed by the agent's own path: the host's
 * inventory judges it, {@link Zeroer#ON_HOST} zeroes it (the kernel's zero-out, fallocate
 * ZERO_RANGE on the device), and the ledger records it. Loop devices have no /dev/disk/by-id name,
 * so the operator never puts one in a pool; the agent's side takes any device path, which is what
 * lets this test use one without loosening the operator's rule. Needs root; always detaches the
 * device and deletes its file.
 */
class LoopDiskZeroingIT {

  private static final long SIZE = 96L << 20;

  @TempDir Path dir;

  @Test
  void aLoopDeviceFullOfOldDataReadsAsZerosOnceTheAgentServesItAsAVolume() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root for losetup");
    Path image = dir.resolve("tenant.img");
    byte[] old = new byte[1 << 20];
    Arrays.fill(old, (byte) 0xab);
    try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
      for (long at = 0; at < SIZE; at += old.length) {
        f.write(old);
      }
    }
    String device = null;
    DiskVolumes volumes = null;
    try {
      device = run("losetup", "-f", "--show", image.toString()).trim();
      DiskInventory host = DiskInventory.ofHost();
      List<BlockDevice> disks = host.scan();
      BlockDevice loop = host.inspect(host.find(disks, device));
      assertThat(loop.safe()).as(loop.toString()).isTrue();
      Semaphore done = new Semaphore(0);
      volumes =
          new DiskVolumes(
              dir.resolve("ledger"),
              Zeroer.ON_HOST,
              path -> {
                try {
                  return host.find(disks, path);
                } catch (IOException e) {
                  return null;
                }
              },
              done::release);
      IscsiNodeSpec spec = spec(device);

      volumes.afterApply(spec, TargetSetSpec.empty());
      assertThat(done.tryAcquire(60, TimeUnit.SECONDS)).as("zeroing ended").isTrue();

      assertThat(volumes.refusals(spec)).isEmpty();
      assertThat(allZero(Path.of(device))).as("every byte of " + device + " reads 0").isTrue();
      assertThat(new DiskLedger(dir.resolve("ledger")).get(device).volume()).isEqualTo("uid-1");
    } finally {
      if (volumes != null) {
        volumes.close();
      }
      if (device != null) {
        runQuietly("losetup", "-d", device);
      }
      Files.deleteIfExists(image);
    }
  }

  private static IscsiNodeSpec spec(String device) {
    NodeLun lun =
        new NodeLun(
            1, "apps/a", device, null, null, null, false, 512, null, null, null, "disks", "uid-1");
    NodeTarget target =
        new NodeTarget(
            1,
            "iqn.2026-11.dev.lunar:a",
            "apps/a",
            3260,
            List.of(lun),
            List.of(),
            List.of(),
            null,
            null,
            Map.of());
    return new IscsiNodeSpec(null, List.of(target), List.of(NodePool.disks("disks")));
  }

  private static boolean allZero(Path device) throws IOException {
    byte[] buffer = new byte[1 << 20];
    long total = 0;
    try (InputStream in = Files.newInputStream(device)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] != 0) {
            return false;
          }
        }
        total += n;
      }
    }
    return total == SIZE;
  }
}
