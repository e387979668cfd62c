package dev.lunar.agent.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;

/**
 * The two steps of replacing a small state file so that a crash or a power loss leaves the old
 * contents or the new, never half: write the new contents to a temporary file and flush it, rename
 * it over the old one (the caller's step), then flush the directory so the rename itself lasts.
 */
public final class DurableFiles {

  private DurableFiles() {}

  /**
   * Writes {@code bytes} to {@code file}, created afresh (with {@code attributes}) in place of any
   * file of that name, and flushes it to the disk.
   */
  public static void writeSynced(Path file, byte[] bytes, FileAttribute<?>... attributes)
      throws IOException {
    Files.deleteIfExists(file);
    try (FileChannel out =
        FileChannel.open(
            file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    }
  }

  /**
   * Flushes {@code directory}'s entries, after a rename into it. Returns false where the filesystem
   * refuses fsync on a directory; the rename is still ordered after the flushed data there.
   */
  public static boolean syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
      return true;
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      return false;
    }
  }
}
