package dev.lunar.agent.scsi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The physical block size a disk unit reports in READ CAPACITY (16) (SBC-3 5.16, LOGICAL BLOCKS PER
 * PHYSICAL BLOCK EXPONENT). A file, however its filesystem allocates, is presented with one logical
 * block per physical block, as tgt (lbppbe 0 by default) and LIO's fileio do. A block device
 * reports what the kernel says its physical block is (sysfs {@code queue/physical_block_size}), as
 * LIO's iblock does, so that an initiator aligns its I/O to a 512e disk's 4 KiB sectors.
 */
final class PhysicalBlocks {

  private static final Path SYS_CLASS_BLOCK = Path.of("/sys/class/block");

  /** READ CAPACITY (16) carries the ratio as a 4-bit exponent. */
  private static final int MAX_LOGICAL_PER_PHYSICAL = 1 << 15;

  private PhysicalBlocks() {}

  /** The physical block size to report for {@code backing}; {@code logical} when unknown. */
  static int of(String backing, int logical) {
    if (backing == null || backing.isBlank()) {
      return logical;
    }
    try {
      return of(Path.of(backing), SYS_CLASS_BLOCK, logical);
    } catch (InvalidPathException e) {
      return logical;
    }
  }

  /**
   * The physical block size of {@code backing} when it is a block device listed under {@code
   * sysClassBlock}; {@code logical} for anything else or whatever cannot be read.
   */
  static int of(Path backing, Path sysClassBlock, int logical) {
    try {
      Path device = backing.toRealPath();
      if (!Files.readAttributes(device, BasicFileAttributes.class).isOther()) {
        return logical; // a regular file (or a directory, refused elsewhere)
      }
      return fromSysfs(sysClassBlock, device.getFileName().toString(), logical);
    } catch (IOException | RuntimeException e) {
      return logical;
    }
  }

  /**
   * Reads {@code queue/physical_block_size} of the block device {@code name}; a partition has no
   * queue of its own and takes its disk's. Values that are not a power-of-two multiple of {@code
   * logical} within the exponent's range are ignored.
   */
  static int fromSysfs(Path sysClassBlock, String name, int logical) throws IOException {
    Path entry = sysClassBlock.resolve(name);
    Path queue = entry.resolve("queue");
    if (!Files.isDirectory(queue)) {
      queue = entry.toRealPath().getParent().resolve("queue");
    }
    long physical;
    try {
      physical = Long.parseLong(Files.readString(queue.resolve("physical_block_size")).trim());
    } catch (NumberFormatException e) {
      return logical;
    }
    boolean usable =
        physical > logical
            && Long.bitCount(physical) == 1
            && physical / logical <= MAX_LOGICAL_PER_PHYSICAL;
    return usable ? (int) physical : logical;
  }
}
