package dev.lunar.agent.node.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What is mounted, by device number, from /proc/self/mountinfo (proc(5): field 3 is MAJOR:MINOR,
 * field 5 the mount point), plus active swap from /proc/swaps.
 *
 * @param mounted device numbers with a mounted filesystem or active swap
 * @param root the device number of the root filesystem, or {@code null}
 */
record MountTable(Set<String> mounted, String root) {

  static MountTable read(Path mountinfo, Path swaps, Path sysClassBlock) throws IOException {
    Set<String> mounted = new HashSet<>();
    String root = null;
    for (String line : Files.readAllLines(mountinfo)) {
      String[] f = line.split(" ");
      if (f.length < 5) {
        continue;
      }
      mounted.add(f[2]);
      if (f[4].equals("/")) {
        root = f[2];
      }
    }
    if (Files.isReadable(swaps)) {
      List<String> lines = Files.readAllLines(swaps);
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String device = line.split("\\s+")[0];
        String number = deviceNumber(sysClassBlock, Path.of(device).getFileName().toString());
        if (number != null) {
          mounted.add(number);
        }
      }
    }
    return new MountTable(mounted, root);
  }

  private static String deviceNumber(Path sysClassBlock, String name) throws IOException {
    Path dev = sysClassBlock.resolve(name).resolve("dev");
    return Files.isReadable(dev) ? Files.readString(dev).trim() : null;
  }
}
