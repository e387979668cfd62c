package dev.lunar.csi.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mount table of this process's mount namespace, from {@code /proc/self/mountinfo} (proc(5)):
 * which paths are mount points, and of what. Read afresh on every question, because kubelet, other
 * plugins and the admin mount and unmount beside us.
 */
public final class Mounts {

  /** The host's table, as the plugin sees it from its (host-shared) mount namespace. */
  public static final Path PROC_SELF_MOUNTINFO = Path.of("/proc/self/mountinfo");

  private final Path mountinfo;

  public Mounts(Path mountinfo) {
    this.mountinfo = mountinfo;
  }

  /**
   * One mount.
   *
   * @param path where it is mounted
   * @param root the mounted directory within its file system ({@code /} unless a bind mount of a
   *     subdirectory)
   * @param fsType the file system type
   * @param source the mounted device (or a name like {@code tmpfs})
   */
  public record Mount(Path path, String root, String fsType, String source) {}

  /** All mounts, in mount order. */
  public List<Mount> list() throws IOException {
    List<Mount> mounts = new ArrayList<>();
    for (String line : Files.readAllLines(mountinfo)) {
      parse(line).ifPresent(mounts::add);
    }
    return mounts;
  }

  /** The mount on {@code path}, the last one when several are stacked there. */
  public Optional<Mount> at(Path path) throws IOException {
    Path wanted = path.toAbsolutePath().normalize();
    Mount found = null;
    for (Mount mount : list()) {
      if (mount.path().equals(wanted)) {
        found = mount;
      }
    }
    return Optional.ofNullable(found);
  }

  public boolean isMountPoint(Path path) throws IOException {
    return at(path).isPresent();
  }

  /**
   * {@code 36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw}: ID, parent ID,
   * major:minor, root, mount point, options, optional fields up to "-", then type, source, super
   * options. Paths escape space, tab, newline and backslash as octal.
   */
  static Optional<Mount> parse(String line) {
    String[] fields = line.split(" ");
    int separator = -1;
    for (int i = 6; i < fields.length; i++) {
      if (fields[i].equals("-")) {
        separator = i;
        break;
      }
    }
    if (fields.length < 6 || separator < 0 || separator + 2 >= fields.length) {
      return Optional.empty();
    }
    return Optional.of(
        new Mount(
            Path.of(unescape(fields[4])),
            unescape(fields[3]),
            fields[separator + 1],
            unescape(fields[separator + 2])));
  }

  private static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && isOctal(field, i + 1)) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }
}
