package dev.lunar.csi.node;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volumes staged on this node: one small properties file per volume in the state directory (a
 * host path, so it outlives the plugin's pod). Unstaging reads it to decide whether another staged
 * LUN still needs the target's session; kernel state alone cannot tell a LUN kubelet staged from
 * one that merely appeared on a rescan.
 */
final class StagingState {

  private static final Logger LOG = LoggerFactory.getLogger(StagingState.class);
  private static final String SUFFIX = ".properties";

  private final Path dir;

  StagingState(Path dir) {
    this.dir = dir;
  }

  Optional<StagedVolume> find(String volumeId) throws IOException {
    Path file = file(volumeId);
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Properties properties = new Properties();
      properties.load(reader);
      return Optional.of(StagedVolume.fromProperties(properties));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      throw new IOException("unreadable staging record " + file + ": " + e.getMessage());
    }
  }

  /** Writes the record whole or not at all: a crash mid-write must not leave half a record. */
  void save(StagedVolume volume) throws IOException {
    Files.createDirectories(dir);
    Path file = file(volume.volumeId());
    Path temporary = dir.resolve(file.getFileName() + ".tmp");
    try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
      volume.toProperties().store(writer, "staged by the Lunar CSI node plugin");
    }
    try {
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  void remove(String volumeId) throws IOException {
    Files.deleteIfExists(file(volumeId));
  }

  /** Every staged volume; a record that cannot be read is logged and left out. */
  List<StagedVolume> all() throws IOException {
    List<StagedVolume> volumes = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return volumes;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path file : files) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          Properties properties = new Properties();
          properties.load(reader);
          volumes.add(StagedVolume.fromProperties(properties));
        } catch (IllegalArgumentException | UncheckedIOException e) {
          LOG.warn("ignoring unreadable staging record {}: {}", file, e.getMessage());
        }
      }
    }
    return volumes;
  }

  /** Volume IDs are the controller's strings; encoded, any of them makes a safe file name. */
  private Path file(String volumeId) {
    String name =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(volumeId.getBytes(StandardCharsets.UTF_8));
    return dir.resolve(name + SUFFIX);
  }
}
