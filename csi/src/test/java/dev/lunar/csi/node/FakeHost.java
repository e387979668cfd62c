package dev.lunar.csi.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's host in a temporary directory, driven by a {@link ScriptedRunner} that acts like the
 * real tools: login and rescan make the LUNs' by-path links that {@link #exportLun} declared, mount
 * and umount edit a mountinfo file, blkid finds nothing until mkfs ran.
 */
final class FakeHost {

  static final String PORTAL = "192.0.2.10:3260";
  static final String IQN = "iqn.2026-12.dev.lunar:pvc-1";
  static final IscsiTarget TARGET = IscsiTarget.parse(PORTAL, IQN);

  final Path root;
  final Path dev;
  final Path byPath;
  final Path sysBlock;
  final Path mountinfo;
  final Path state;
  final ScriptedRunner runner = new ScriptedRunner();
  private final List<String[]> exported = new ArrayList<>();
  private final List<String> formatted = new ArrayList<>();
  private int mountId = 100;

  FakeHost(Path root) throws IOException {
    this.root = root;
    this.dev = Files.createDirectories(root.resolve("dev"));
    this.byPath = Files.createDirectories(dev.resolve("disk/by-path"));
    this.sysBlock = Files.createDirectories(root.resolve("sys/block"));
    this.mountinfo = root.resolve("proc/self/mountinfo");
    this.state = root.resolve("var/lib/lunar/csi");
    Files.createDirectories(mountinfo.getParent());
    Files.writeString(mountinfo, "21 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n");
    runner.when("--login", argv -> attachLuns(argv));
    runner.when("--rescan", argv -> attachLuns(argv));
    runner.when("blkid", argv -> probe(argv.getLast()));
    runner.when("mkfs.", argv -> format(argv.getLast()));
    runner.when("mount -t", argv -> mount(argv.get(argv.size() - 2), argv.getLast(), argv.get(2)));
    runner.when("mount --bind", argv -> mount(argv.get(2), argv.get(3), "none"));
    runner.when("umount", argv -> unmount(argv.getLast()));
  }

  NodeEnvironment environment(Duration deviceTimeout) {
    return new NodeEnvironment(
        state, byPath, sysBlock, root.resolve("sys/dev/block"), mountinfo, deviceTimeout);
  }

  NodeService service() {
    return new NodeService(
        "iqn.1993-08.org.debian:01:node-1", runner, environment(Duration.ofMillis(300)));
  }

  /** The target has {@code lun}; once a session scans it, it is disk {@code disk}. */
  Path exportLun(IscsiTarget target, int lun, String disk) throws IOException {
    exported.add(new String[] {target.iqn(), target.portal(), Integer.toString(lun), disk});
    Path device = dev.resolve(disk);
    if (!Files.exists(device)) {
      Files.createFile(device);
    }
    Files.createDirectories(sysBlock.resolve(disk).resolve("holders"));
    Files.createDirectories(sysBlock.resolve(disk).resolve("device"));
    Files.writeString(sysBlock.resolve(disk).resolve("device/delete"), "");
    return device;
  }

  /** The disk already carries a file system of {@code type}. */
  void formatted(Path device, String type) {
    formatted.add(device + "=" + type);
  }

  boolean isMounted(Path path) throws IOException {
    return new Mounts(mountinfo).isMountPoint(path);
  }

  List<String> mountinfoLines() throws IOException {
    return Files.readAllLines(mountinfo);
  }

  private CommandRunner.Result attachLuns(List<String> argv) throws IOException {
    String iqn = argv.get(argv.indexOf("-T") + 1);
    String portal = argv.get(argv.indexOf("-p") + 1);
    for (String[] lun : exported) {
      if (lun[0].equals(iqn) && lun[1].equals(portal)) {
        IscsiTarget target = IscsiTarget.parse(portal, iqn);
        Path link = byPath.resolve(target.byPathName(Integer.parseInt(lun[2])));
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.createSymbolicLink(link, Path.of("../../" + lun[3]));
        }
      }
    }
    return ScriptedRunner.ok();
  }

  private CommandRunner.Result probe(String device) {
    for (String entry : formatted) {
      if (entry.startsWith(device + "=")) {
        String type = entry.substring(device.length() + 1);
        return new CommandRunner.Result(
            0, "DEVNAME=" + device + "\nUUID=0f1e\nTYPE=" + type + "\nUSAGE=filesystem\n", "");
      }
    }
    return new CommandRunner.Result(2, "", "");
  }

  private CommandRunner.Result format(String device) {
    formatted.add(device + "=ext4");
    return ScriptedRunner.ok();
  }

  private CommandRunner.Result mount(String source, String target, String type) throws IOException {
    Files.writeString(
        mountinfo,
        (mountId++) + " 21 8:16 / " + target + " rw - " + type + " " + source + " rw\n",
        java.nio.file.StandardOpenOption.APPEND);
    return ScriptedRunner.ok();
  }

  private CommandRunner.Result unmount(String target) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(mountinfo));
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).split(" ")[4].equals(target)) {
        lines.remove(i);
        Files.write(mountinfo, lines);
        return ScriptedRunner.ok();
      }
    }
    return new CommandRunner.Result(32, "", "umount: " + target + ": not mounted.");
  }
}
