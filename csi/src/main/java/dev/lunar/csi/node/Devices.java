package dev.lunar.csi.node;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The block devices that logged-in LUNs become: udev's stable links in {@code /dev/disk/by-path},
 * and what sysfs says about the disk behind one (its holders, its size, how to remove it).
 */
final class Devices {

  private static final Duration POLL = Duration.ofMillis(100);

  private final Path byPath;
  private final Path sysBlock;

  /**
   * @param byPath udev's by-path directory, {@code /dev/disk/by-path} on a host
   * @param sysBlock {@code /sys/block}
   */
  Devices(Path byPath, Path sysBlock) {
    this.byPath = byPath;
    this.sysBlock = sysBlock;
  }

  /** The stable link of one LUN, whether it exists or not. */
  Path link(IscsiTarget target, int lun) {
    return byPath.resolve(target.byPathName(lun));
  }

  /**
   * The device node the LUN's link points at, when the kernel has the LUN now. The link's address
   * part is as the kernel formats the connection's address (IPv6 spelled out or not), so when the
   * predicted name is not there, any link of this port, IQN and LUN will do: one target name is one
   * target.
   */
  Optional<Path> find(IscsiTarget target, int lun) throws IOException {
    Optional<Path> exact = resolve(link(target, lun));
    if (exact.isPresent()) {
      return exact;
    }
    String suffix = ":" + target.port() + "-iscsi-" + target.iqn() + "-lun-" + lun;
    List<Path> links = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(byPath)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith("ip-") && name.endsWith(suffix)) {
          links.add(entry);
        }
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    for (Path candidate : links.stream().sorted().toList()) {
      Optional<Path> device = resolve(candidate);
      if (device.isPresent()) {
        return device;
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> resolve(Path link) throws IOException {
    try {
      return Optional.of(link.toRealPath());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Waits for the LUN's device after a login or rescan: the kernel scans the session, then udev
   * makes the link, each in its own time.
   *
   * @return the device, or empty when it did not appear within {@code timeout}
   */
  Optional<Path> await(IscsiTarget target, int lun, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<Path> device = find(target, lun);
      if (device.isPresent() || System.nanoTime() - deadline >= 0) {
        return device;
      }
      Thread.sleep(POLL);
    }
  }

  /**
   * The devices stacked on a disk ({@code /sys/block/sdX/holders}): a {@code dm-N} there means
   * device-mapper (multipathd, mostly) has claimed it, and mounting the disk itself would fail or
   * bypass the map.
   */
  List<String> holders(Path device) throws IOException {
    Path holders = sysBlock.resolve(device.getFileName().toString()).resolve("holders");
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(holders)) {
      entries.forEach(entry -> names.add(entry.getFileName().toString()));
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return names.stream().sorted().toList();
  }

  /**
   * Removes a disk from the kernel while its session stays up for other LUNs of the target, so that
   * no stale device is left when the LUN is later deleted on the target.
   */
  void remove(Path device) throws IOException {
    Path delete =
        sysBlock.resolve(device.getFileName().toString()).resolve("device").resolve("delete");
    if (Files.exists(delete)) {
      Files.writeString(delete, "1");
    }
  }
}
