package dev.lunar.agent.scsi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Small properties files that keep a unit's state across restarts (saved mode pages, APTPL
 * reservations). Written to a temporary sibling and moved into place, so a crash leaves the old
 * file or the new one, never half of one.
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
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (var out = Files.newOutputStream(temp)) {
      p.store(out, comment);
    }
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
