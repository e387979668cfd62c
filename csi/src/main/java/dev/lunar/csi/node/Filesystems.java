package dev.lunar.csi.node;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** blkid, mkfs, mount and umount: what staging and publishing do to file systems. */
final class Filesystems {

  private static final Logger LOG = LoggerFactory.getLogger(Filesystems.class);

  /** The file systems staging can make; others are refused rather than guessed at. */
  static final Set<String> SUPPORTED = Set.of("ext3", "ext4", "xfs");

  static final String DEFAULT = "ext4";

  /** blkid -p's exit code when the device has no signature at all. */
  private static final int BLKID_NOTHING_FOUND = 2;

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(60);

  /** mkfs discards the whole device first; on a large thin LUN that takes a while. */
  private static final Duration MKFS_TIMEOUT = Duration.ofMinutes(10);

  private final CommandRunner runner;

  Filesystems(CommandRunner runner) {
    this.runner = runner;
  }

  /**
   * What is on a device.
   *
   * @param filesystem the file system type blkid found, if any
   * @param partitionTable the partition table type, if any
   */
  record Probe(Optional<String> filesystem, Optional<String> partitionTable) {
    boolean blank() {
      return filesystem.isEmpty() && partitionTable.isEmpty();
    }
  }

  /**
   * Probes the device itself ({@code -p}), not blkid's cache, which may predate the last mkfs on
   * another node.
   */
  Probe probe(Path device) throws IOException {
    Command blkid = Command.of("blkid", "-p", "-o", "export", device.toString());
    CommandRunner.Result result = runner.run(blkid, PROBE_TIMEOUT);
    if (result.exitCode() == BLKID_NOTHING_FOUND) {
      return new Probe(Optional.empty(), Optional.empty());
    }
    if (!result.succeeded()) {
      throw new CommandFailedException(blkid, result);
    }
    Optional<String> type = Optional.empty();
    Optional<String> table = Optional.empty();
    for (String line : result.stdout().split("\n")) {
      if (line.startsWith("TYPE=")) {
        type = Optional.of(line.substring(5).strip());
      } else if (line.startsWith("PTTYPE=")) {
        table = Optional.of(line.substring(7).strip());
      }
    }
    return new Probe(type, table);
  }

  /** Makes a file system of {@code type} on a device that {@link #probe} found blank. */
  void format(Path device, String type) throws IOException {
    List<String> argv = new ArrayList<>(List.of("mkfs." + type));
    if (type.startsWith("ext")) {
      // mke2fs asks before formatting a whole disk; there is no one to answer.
      argv.add("-F");
    }
    argv.add(device.toString());
    LOG.info("making {} on {}", type, device);
    run(new Command(argv, Set.of()), MKFS_TIMEOUT);
  }

  void mount(Path device, Path target, String type, List<String> options) throws IOException {
    List<String> argv = new ArrayList<>(List.of("mount", "-t", type));
    if (!options.isEmpty()) {
      argv.add("-o");
      argv.add(String.join(",", options));
    }
    argv.add(device.toString());
    argv.add(target.toString());
    run(new Command(argv, Set.of()), MOUNT_TIMEOUT);
  }

  /**
   * Bind-mounts {@code source} (a directory, or a device node onto a file) on {@code target}. A
   * read-only bind takes a second, remounting call: the kernel ignores ro on the bind itself.
   */
  void bind(Path source, Path target, boolean readOnly) throws IOException {
    run(Command.of("mount", "--bind", source.toString(), target.toString()), MOUNT_TIMEOUT);
    if (readOnly) {
      run(Command.of("mount", "-o", "remount,bind,ro", target.toString()), MOUNT_TIMEOUT);
    }
  }

  void unmount(Path target) throws IOException {
    run(Command.of("umount", target.toString()), MOUNT_TIMEOUT);
  }

  private void run(Command command, Duration timeout) throws IOException {
    CommandRunner.Result result = runner.run(command, timeout);
    if (!result.succeeded()) {
      throw new CommandFailedException(command, result);
    }
  }
}
