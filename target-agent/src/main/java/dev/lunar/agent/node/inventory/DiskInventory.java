package dev.lunar.agent.node.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's block devices, read from sysfs (/sys/block), udev (/dev/disk/by-id links and
 * /run/udev/data properties) and the mount table, each summed up as safe to export or not. The
 * roots are parameters so tests can hand it a made-up machine.
 */
public final class DiskInventory {

  private static final Logger log = LoggerFactory.getLogger(DiskInventory.class);

  private final Path sys;
  private final Path dev;
  private final Path udevData;
  private final Path proc;

  public DiskInventory(Path sys, Path dev, Path udevData, Path proc) {
    this.sys = sys;
    this.dev = dev;
    this.udevData = udevData;
    this.proc = proc;
  }

  /** The inventory of this machine. */
  public static DiskInventory ofHost() {
    return new DiskInventory(
        Path.of("/sys"), Path.of("/dev"), Path.of("/run/udev/data"), Path.of("/proc"));
  }

  /** Every disk with a capacity, by name; RAM disks and unbound loop devices are left out. */
  public List<BlockDevice> scan() throws IOException {
    Path block = sys.resolve("block");
    MountTable mounts =
        MountTable.read(
            proc.resolve("self/mountinfo"), proc.resolve("swaps"), sys.resolve("class/block"));
    Map<String, List<String>> byId = byIdLinks();
    List<BlockDevice> disks = new ArrayList<>();
    try (Stream<Path> entries = Files.list(block)) {
      for (Path entry : entries.sorted(Comparator.comparing(Path::toString)).toList()) {
        String name = entry.getFileName().toString();
        if (name.startsWith("ram") || name.startsWith("zram")) {
          continue;
        }
        BlockDevice disk = describe(entry, name, mounts, byId.getOrDefault(name, List.of()));
        if (disk != null) {
          disks.add(disk);
        }
      }
    }
    return disks;
  }

  /** The disk a path names (a device node, a by-id link or a kernel name), or null. */
  public BlockDevice find(List<BlockDevice> disks, String path) throws IOException {
    Path resolved = Path.of(path);
    String name = Files.exists(resolved) ? resolved.toRealPath().getFileName().toString() : path;
    return disks.stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
  }

  private BlockDevice describe(Path entry, String name, MountTable mounts, List<String> links)
      throws IOException {
    long size = longOf(entry.resolve("size")) * 512; // sysfs counts 512-byte sectors
    if (size == 0) {
      return null;
    }
    List<String> parts = partitions(entry, name);
    List<String> holders = names(entry.resolve("holders"));
    List<String> numbers = new ArrayList<>();
    numbers.add(text(entry.resolve("dev")));
    for (String part : parts) {
      numbers.add(text(entry.resolve(part).resolve("dev")));
      holders.addAll(names(entry.resolve(part).resolve("holders")));
    }
    for (String holder : List.copyOf(holders)) {
      numbers.add(text(sys.resolve("class/block").resolve(holder).resolve("dev")));
    }
    boolean mounted = numbers.stream().anyMatch(mounts.mounted()::contains);
    boolean root = mounts.root() != null && numbers.contains(mounts.root());
    Path node = dev.resolve(name);
    Map<String, String> udev = udevProperties(text(entry.resolve("dev")));
    // The scan opens no device: udev already probed them. Opening is left to inspect(), for the
    // devices a spec names.
    String signature = firstOf(udev.get("ID_FS_TYPE"), udev.get("ID_PART_TABLE_TYPE"));
    String reason = unsafeReason(root, mounted, !parts.isEmpty(), signature, holders);
    return new BlockDevice(
        name,
        node.toString(),
        links,
        size,
        (int) longOf(entry.resolve("queue/logical_block_size")),
        (int) longOf(entry.resolve("queue/physical_block_size")),
        longOf(entry.resolve("queue/rotational")) == 1,
        firstOf(udev.get("ID_MODEL"), text(entry.resolve("device/model"))),
        firstOf(udev.get("ID_SERIAL_SHORT"), text(entry.resolve("serial"))),
        firstOf(udev.get("ID_WWN"), text(entry.resolve("device/wwid"))),
        mounted,
        !parts.isEmpty(),
        signature,
        root,
        holders,
        reason == null,
        reason);
  }

  /**
   * The disk with its own first blocks read for a signature, which udev may not have recorded: done
   * only for a device a spec asks to export, just before exporting it.
   */
  public BlockDevice inspect(BlockDevice disk) {
    if (disk.signature() != null) {
      return disk;
    }
    String signature = probe(Path.of(disk.devicePath()));
    if (signature == null) {
      return disk;
    }
    String reason =
        unsafeReason(
            disk.backsRoot(), disk.mounted(), disk.partitioned(), signature, disk.holders());
    return new BlockDevice(
        disk.name(),
        disk.devicePath(),
        disk.byIdPaths(),
        disk.sizeBytes(),
        disk.logicalBlockSize(),
        disk.physicalBlockSize(),
        disk.rotational(),
        disk.model(),
        disk.serial(),
        disk.wwn(),
        disk.mounted(),
        disk.partitioned(),
        signature,
        disk.backsRoot(),
        disk.holders(),
        reason == null,
        reason);
  }

  /** The first reason in order of how bad exporting it would be. */
  static String unsafeReason(
      boolean root, boolean mounted, boolean partitioned, String signature, List<String> holders) {
    if (root) {
      return "backs the root filesystem";
    }
    if (mounted) {
      return "mounted or used as swap";
    }
    if (!holders.isEmpty()) {
      return "in use by " + String.join(", ", holders);
    }
    if (partitioned) {
      return "holds partitions";
    }
    if (signature != null) {
      return "holds a " + signature + " signature";
    }
    return null;
  }

  private String probe(Path node) {
    try {
      return Files.isReadable(node) ? Signatures.probe(node) : null;
    } catch (IOException e) {
      log.debug("cannot probe {}: {}", node, e.getMessage());
      return null;
    }
  }

  private static List<String> partitions(Path entry, String name) throws IOException {
    try (Stream<Path> children = Files.list(entry)) {
      return children
          .map(p -> p.getFileName().toString())
          .filter(
              child ->
                  child.startsWith(name) && Files.exists(entry.resolve(child).resolve("partition")))
          .sorted()
          .toList();
    }
  }

  private Map<String, List<String>> byIdLinks() throws IOException {
    Map<String, List<String>> links = new TreeMap<>();
    Path byId = dev.resolve("disk/by-id");
    if (!Files.isDirectory(byId)) {
      return links;
    }
    try (Stream<Path> entries = Files.list(byId)) {
      for (Path link : entries.sorted().toList()) {
        if (Files.isSymbolicLink(link)) {
          String target =
              link.getParent()
                  .resolve(Files.readSymbolicLink(link))
                  .normalize()
                  .getFileName()
                  .toString();
          links.computeIfAbsent(target, k -> new ArrayList<>()).add(link.toString());
        }
      }
    }
    return links;
  }

  /** udev's database entry for a device: lines {@code E:KEY=VALUE} in /run/udev/data/bMAJ:MIN. */
  private Map<String, String> udevProperties(String number) throws IOException {
    Map<String, String> properties = new TreeMap<>();
    Path file = udevData.resolve("b" + number);
    if (number == null || !Files.isReadable(file)) {
      return properties;
    }
    for (String line : Files.readAllLines(file)) {
      int eq = line.indexOf('=');
      if (line.startsWith("E:") && eq > 2) {
        properties.put(line.substring(2, eq), line.substring(eq + 1));
      }
    }
    return properties;
  }

  private static List<String> names(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return new ArrayList<>();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return new ArrayList<>(entries.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  private static long longOf(Path file) throws IOException {
    String value = text(file);
    return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
  }

  private static String text(Path file) throws IOException {
    return Files.isReadable(file) ? Files.readString(file).trim() : null;
  }

  private static String firstOf(String a, String b) {
    return a != null && !a.isBlank() ? a : (b == null || b.isBlank() ? null : b);
  }
}
