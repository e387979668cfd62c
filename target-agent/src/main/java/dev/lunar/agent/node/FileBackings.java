package dev.lunar.agent.node;

import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the files that file-backed LUNs name, sparse, at the size the spec gives, when they do
 * not exist yet. An existing file is never truncated or shrunk: its data belongs to someone.
 */
final class FileBackings {

  private static final Logger log = LoggerFactory.getLogger(FileBackings.class);

  private FileBackings() {}

  static void prepare(TargetSetSpec spec) {
    for (TargetSpec target : spec.targets()) {
      for (LunSpec lun : target.luns()) {
        if (lun.sizeBytes() > 0
            && lun.backingStore() != null
            && !lun.backingStore().startsWith("/dev/")) {
          create(Path.of(lun.backingStore()), lun.sizeBytes());
        }
      }
    }
  }

  private static void create(Path file, long size) {
    if (Files.exists(file)) {
      return;
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
        f.setLength(size);
      }
      log.info("created {} ({} bytes, sparse)", file, size);
    } catch (IOException e) {
      log.warn("cannot create {}: {}", file, e.getMessage()); // the engine reports the LUN
    }
  }
}
