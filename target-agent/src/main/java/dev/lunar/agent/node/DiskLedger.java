package dev.lunar.agent.node;

import dev.lunar.agent.storage.DurableFiles;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the agent knows for sure about each pool disk, one small file per disk in its state dir (a
 * host path, so it outlives the pod): which volume the disk was zeroed for, or that it is being
 * wiped. Written whole and renamed into place, then the directory flushed, so a crash leaves the
 * old record or the new one. A disk with no record, or a record for another volume, is served to
 * nobody before it is zeroed again: a restart in the middle of a wipe never serves a half-wiped
 * disk.
 */
final class DiskLedger {

  /** A disk's record: zeroed and given to {@code volume}, or being wiped ({@code volume} null). */
  record Entry(String volume) {
    boolean wiping() {
      return volume == null;
    }
  }

  private static final String WIPING = "wiping";
  private static final String VOLUME = "volume=";

  private final Path dir;

  DiskLedger(Path dir) {
    this.dir = dir;
  }

  /** The record of every disk, by device path. */
  Map<String, Entry> read() throws IOException {
    Map<String, Entry> entries = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return entries;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.startsWith(".")) {
          continue; // a write that did not finish
        }
        String text = Files.readString(file).strip();
        String device = URLDecoder.decode(name, StandardCharsets.UTF_8);
        entries.put(
            device, new Entry(text.startsWith(VOLUME) ? text.substring(VOLUME.length()) : null));
      }
    }
    return entries;
  }

  Entry get(String device) throws IOException {
    Path file = file(device);
    if (!Files.exists(file)) {
      return null;
    }
    String text = Files.readString(file).strip();
    return new Entry(text.startsWith(VOLUME) ? text.substring(VOLUME.length()) : null);
  }

  /** Records that {@code device} is zeroed and belongs to {@code volume}. */
  void zeroedFor(String device, String volume) throws IOException {
    write(device, VOLUME + volume);
  }

  /** Records that {@code device}'s contents are going away: whatever it held is no one's now. */
  void wiping(String device) throws IOException {
    write(device, WIPING);
  }

  /** Forgets {@code device}: wiped and free. */
  void forget(String device) throws IOException {
    if (Files.deleteIfExists(file(device))) {
      DurableFiles.syncDirectory(dir);
    }
  }

  private void write(String device, String text) throws IOException {
    Files.createDirectories(
        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path file = file(device);
    Path partial = dir.resolve("." + file.getFileName());
    DurableFiles.writeSynced(partial, (text + "\n").getBytes(StandardCharsets.UTF_8));
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    DurableFiles.syncDirectory(dir);
  }

  private Path file(String device) {
    return dir.resolve(URLEncoder.encode(device, StandardCharsets.UTF_8));
  }
}
