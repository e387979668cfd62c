package dev.lunar.csi.node;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the node service finds the host: its own state, udev's links, sysfs and the mount table,
 * and how long a LUN may take to appear. Tests point these at a temporary directory.
 *
 * @param stateDir the staging records (a host path that survives the plugin's restarts)
 * @param byPath {@code /dev/disk/by-path}
 * @param sysBlock {@code /sys/block}
 * @param sysDevBlock {@code /sys/dev/block}
 * @param mountinfo {@code /proc/self/mountinfo}
 * @param deviceTimeout how long to wait for a LUN's device after login
 */
public record NodeEnvironment(
    Path stateDir,
    Path byPath,
    Path sysBlock,
    Path sysDevBlock,
    Path mountinfo,
    Duration deviceTimeout) {

  /**
   * The kernel scans a new session's LUNs and udev links them within seconds; thirty leaves room
   * for a busy node and still answers well inside kubelet's two-minute deadline.
   */
  public static final Duration DEVICE_TIMEOUT = Duration.ofSeconds(30);

  /** The real host, with the staging records in {@code stateDir}. */
  public static NodeEnvironment host(Path stateDir) {
    return new NodeEnvironment(
        stateDir,
        Path.of("/dev/disk/by-path"),
        Path.of("/sys/block"),
        Path.of("/sys/dev/block"),
        Mounts.PROC_SELF_MOUNTINFO,
        DEVICE_TIMEOUT);
  }
}
