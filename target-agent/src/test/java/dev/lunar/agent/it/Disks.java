package dev.lunar.agent.it;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Sparse backing files for tests. */
final class Disks {

  private Disks() {}

  static Path sparse(Path file, long bytes) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(bytes);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
