package dev.lunar.operator;

import dev.lunar.testing.Commands;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.UUID;

/**
 * A loop device over a file full of junk, with a {@code /dev/disk/by-id} link to it as udev would
 * make one ({@code lunar-it-<random> -> ../../loopN}), for a host without udev: the inventory only
 * offers disks with a by-id name. {@link #close} removes exactly what {@link #attach} made (the
 * link, the directories that were missing, the loop device, the file), however far attaching got.
 */
final class ByIdLoopDisk implements AutoCloseable {

  static final Path BY_ID = Path.of("/dev/disk/by-id");

  /** Every byte of the backing file at first: anything but zero, and no known signature. */
  static final byte JUNK = (byte) 0xA5;

  private final Path file;
  private final Path link;
  private final Deque<Path> madeDirectories = new ArrayDeque<>();
  private String device;

  private ByIdLoopDisk(Path file) {
    this.file = file;
    this.link = BY_ID.resolve("lunar-it-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /** {@code sizeBytes} of junk in {@code file}, attached and linked. */
  static ByIdLoopDisk attach(Path file, long sizeBytes) throws IOException {
    ByIdLoopDisk disk = new ByIdLoopDisk(file);
    try {
      disk.fill(sizeBytes);
      disk.device = Commands.run("losetup", "-f", "--show", file.toString()).trim();
      disk.makeMissing(BY_ID);
      Files.createSymbolicLink(
          disk.link, Path.of("../..").resolve(Path.of(disk.device).getFileName()));
      return disk;
    } catch (IOException | RuntimeException e) {
      disk.close();
      throw e;
    }
  }

  /** The by-id path, as a pool's pattern and a LUN's {@code status.disk} name it. */
  String link() {
    return link.toString();
  }

  /** The kernel's device node, /dev/loopN. */
  String device() {
    return device;
  }

  /** The whole device as the kernel reads it now, past any cache of the file's pages. */
  byte[] readDevice() throws IOException {
    Path copy = file.resolveSibling(file.getFileName() + ".read");
    Commands.run("dd", "if=" + device, "of=" + copy, "bs=1M", "iflag=direct", "status=none");
    try {
      return Files.readAllBytes(copy);
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  private void fill(long sizeBytes) throws IOException {
    byte[] chunk = new byte[1 << 20];
    Arrays.fill(chunk, JUNK);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long done = 0; done < sizeBytes; done += chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, sizeBytes - done));
      }
    }
  }

  /** Makes {@code dir} and its missing parents, remembering each one made, deepest last. */
  private void makeMissing(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    makeMissing(dir.getParent());
    Files.createDirectory(dir);
    madeDirectories.push(dir);
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(link);
    } catch (IOException e) {
      System.err.println("ByIdLoopDisk: cannot remove " + link + ": " + e);
    }
    while (!madeDirectories.isEmpty()) {
      Path dir = madeDirectories.pop();
      try {
        Files.deleteIfExists(dir); // only when empty: someone else's link stays, and its dir
      } catch (IOException e) {
        System.err.println("ByIdLoopDisk: leaving " + dir + ": " + e);
      }
    }
    if (device != null) {
      Commands.runQuietly("losetup", "-d", device);
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      System.err.println("ByIdLoopDisk: cannot remove " + file + ": " + e);
    }
  }

  /** Whether the loop device still has the file behind it (as the kernel names its backing). */
  boolean attached() throws IOException {
    if (device == null) {
      return false;
    }
    Path backing =
        Path.of("/sys/block", Path.of(device).getFileName().toString(), "loop/backing_file");
    return Files.exists(backing) && Files.readString(backing).startsWith(file.toString());
  }
}
