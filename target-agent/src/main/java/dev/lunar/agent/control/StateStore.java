package dev.lunar.agent.control;

import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.storage.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists the applied {@link TargetSetSpec} under {@code --state-dir} so a restart brings every
 * export back. The file is {@code state.yaml} in the {@link YamlConfig} schema, mode 0600 because
 * it holds CHAP passwords, and its last line is a checksum ({@link SealedFile}). A save writes
 * {@code state.yaml.tmp}, fsyncs it, keeps the previous good copy as {@code state.yaml.prev},
 * renames the new file over {@code state.yaml} and fsyncs the directory, so a crash at any point
 * leaves either the old or the new state readable. A torn or corrupt file never goes unnoticed:
 * {@link #load} says so and falls back to the previous copy, or fails naming both files.
 */
public final class StateStore {

  private static final Logger log = LoggerFactory.getLogger(StateStore.class);
  static final String FILE = "state.yaml";

  private final Path dir;

  private StateStore(Path dir) {
    this.dir = dir;
  }

  /** A store in {@code dir}, created (mode 0700) on first save. */
  public static StateStore in(Path dir) {
    return new StateStore(dir);
  }

  /** No persistence: the daemon ran without {@code --state-dir}. */
  public static StateStore none() {
    return new StateStore(null);
  }

  /**
   * The last saved spec, empty when nothing was ever saved. A corrupt or torn {@code state.yaml} is
   * reported loudly and the previous copy used instead.
   *
   * @throws ConfigException when neither copy can be read; the message names both files
   */
  public Optional<TargetSetSpec> load() throws ConfigException {
    if (dir == null) {
      return Optional.empty();
    }
    Path current = dir.resolve(FILE);
    Path previous = dir.resolve(FILE + ".prev");
    ConfigException currentError;
    try {
      return Optional.of(read(current));
    } catch (ConfigException e) {
      if (!Files.exists(current) && !Files.exists(previous)) {
        return Optional.empty();
      }
      currentError = e;
    }
    if (!Files.exists(previous)) {
      throw currentError;
    }
    try {
      TargetSetSpec spec = read(previous);
      log.error(
          "state file unusable ({}); restored the previous copy {} instead: recent changes may be"
              + " missing",
          currentError.getMessage(),
          previous);
      return Optional.of(spec);
    } catch (ConfigException e) {
      throw new ConfigException(
          "no usable state: " + currentError.getMessage() + "; and " + e.getMessage(), e);
    }
  }

  /** Saves {@code spec} atomically; a no-op without a state directory. */
  public void save(TargetSetSpec spec) throws IOException {
    if (dir == null) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Path current = dir.resolve(FILE);
    Path previous = dir.resolve(FILE + ".prev");
    Path temp = dir.resolve(FILE + ".tmp");
    byte[] bytes = SealedFile.seal(YamlConfig.toYaml(spec)).getBytes(StandardCharsets.UTF_8);
    DurableFiles.writeSynced(
        temp,
        bytes,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    // Only a copy that still parses becomes the fallback: never rotate a torn file over a good one.
    if (Files.exists(current) && parses(current)) {
      keepAsPrevious(current, previous);
    }
    move(temp, current);
    if (!DurableFiles.syncDirectory(dir)) {
      log.debug("directory fsync not supported on {}", dir);
    }
  }

  /**
   * Makes {@code previous} a second name of the current file (a hard link, so it keeps mode 0600
   * and needs no copy), while {@code current} stays in place: the rename of the new file over it is
   * then the only step, and a crash at any moment leaves a whole {@code state.yaml}. Where hard
   * links are not supported the current file is moved instead, and {@link #load} covers the short
   * window in which only the previous copy exists.
   */
  private void keepAsPrevious(Path current, Path previous) throws IOException {
    Path link = dir.resolve(FILE + ".prev.tmp");
    Files.deleteIfExists(link);
    try {
      Files.createLink(link, current);
    } catch (UnsupportedOperationException | IOException e) {
      log.debug("no hard link in {} ({}); moving the previous copy instead", dir, e.toString());
      move(current, previous);
      return;
    }
    move(link, previous);
  }

  /** A state file whose checksum matches, parsed. */
  private static TargetSetSpec read(Path file) throws ConfigException {
    return YamlConfig.parse(SealedFile.read(file), file.toString());
  }

  private static boolean parses(Path file) {
    try {
      read(file);
      return true;
    } catch (ConfigException e) {
      log.warn("not keeping {} as the previous copy: {}", file, e.getMessage());
      return false;
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
