package dev.lunar.agent.scsi;

import dev.lunar.agent.storage.DurableFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Small properties files that keep a unit's state across restarts (saved mode pages, APTPL
 * reservations). Written to a temporary sibling, flushed to the disk, and moved into place, the
 * directory flushed after ({@link DurableFiles}): a crash or a power loss leaves the old file or
 * the new one, never half of one, and once {@link #store} returns the new one survives (an
 * initiator told its reservation persists through power loss relies on that).
 */
final class StateFiles {

  private StateFiles() {}

  /** The file's properties, or {@code null} when it does not exist. */
  static Properties load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Properties p = new Properties();
    try (var in = Files.newInputStream(file)) {
      p.load(in);
    }
    return p;
  }

  static void store(Path file, Properties p, String comment) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    p.store(text, comment);
    DurableFiles.writeSynced(temp, text.toByteArray());
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    DurableFiles.syncDirectory(directory);
  }
}
