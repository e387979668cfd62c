package dev.lunar.agent.node;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The size and the free space of the filesystem that holds a directory (statvfs). An interface so
 * that tests measure a filesystem of their own making, with numbers that do not move.
 */
@FunctionalInterface
interface SpaceProbe {

  /**
   * @param totalBytes the filesystem's size
   * @param usableBytes what an unprivileged writer may still take (f_bavail)
   */
  record Space(long totalBytes, long usableBytes) {}

  Space measure(Path directory) throws IOException;

  /** The real filesystem, through {@link FileStore}. */
  SpaceProbe FILE_STORE =
      directory -> {
        FileStore store = Files.getFileStore(directory);
        return new Space(store.getTotalSpace(), store.getUsableSpace());
      };
}
