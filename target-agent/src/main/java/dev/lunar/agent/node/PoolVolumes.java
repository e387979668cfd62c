package dev.lunar.agent.node;

import dev.lunar.agent.storage.DurableFiles;
import dev.lunar.agent.storage.LinuxFiles;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the spec's pool directories and the files of its pool volumes, before the engine opens
 * them: sparse for a thin volume (the default), every block allocated for a thick one, so that its
 * space is really reserved and no write to it can later fail for want of room. A file that exists
 * is never truncated or shrunk: its data belongs to an initiator. A volume whose file cannot be
 * made is refused, never left to {@link FileBackings}, which would make a thick volume sparse.
 */
final class PoolVolumes {

  private static final Logger log = LoggerFactory.getLogger(PoolVolumes.class);

  /** How the operator names every pool volume's file; the collector deletes only such files. */
  static final String SUFFIX = ".lunar-volume";

  private static final FileAttribute<?> DIRECTORY_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  private static final FileAttribute<?> FILE_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  /** Reserves every block of a file up to a length: fallocate, or a failing one in tests. */
  @FunctionalInterface
  interface Allocator {
    void allocate(Path file, long length) throws IOException;
  }

  private final Allocator allocator;
  private final SpaceProbe probe;

  PoolVolumes(Allocator allocator, SpaceProbe probe) {
    this.allocator = allocator;
    this.probe = probe;
  }

  /** The host's own: fallocate(2) and the file store. */
  static PoolVolumes onHost() {
    return new PoolVolumes(LinuxFiles::allocate, SpaceProbe.FILE_STORE);
  }

  /**
   * Creates every missing pool directory of the spec and every missing pool volume file.
   *
   * @return why a volume cannot be served, by its file as the spec names it
   */
  Map<String, Refusal> prepare(IscsiNodeSpec spec) {
    for (NodePool pool : Objects.requireNonNullElse(spec.pools(), List.<NodePool>of())) {
      if (pool.path() == null) {
        continue; // a volume group pool (LvmVolumes) or a disk pool (DiskVolumes)
      }
      try {
        directory(Path.of(pool.path()));
      } catch (IOException | RuntimeException e) {
        // The pool's status says PoolDirectoryMissing; its volumes are refused below.
        log.warn("cannot create directory {} of pool {}: {}", pool.path(), pool.name(), why(e));
      }
    }
    Map<String, Refusal> refused = new HashMap<>();
    for (NodeTarget target : Objects.requireNonNullElse(spec.targets(), List.<NodeTarget>of())) {
      for (NodeLun lun : Objects.requireNonNullElse(target.luns(), List.<NodeLun>of())) {
        long size = Objects.requireNonNullElse(lun.sizeBytes(), 0L);
        if (lun.pool() != null && lun.file() != null && size > 0) {
          Refusal refusal = create(Path.of(lun.file()), size, Boolean.FALSE.equals(lun.thin()));
          if (refusal != null) {
            refused.put(lun.file(), refusal);
          }
        }
      }
    }
    return refused;
  }

  private Refusal create(Path file, long size, boolean thick) {
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    Path dir = file.toAbsolutePath().getParent();
    // Made under a hidden name and renamed into place, so a crash halfway never leaves a file of
    // the volume's own name that a restart would take for finished; the hidden name keeps the
    // suffix, so the collector removes such a leftover.
    Path partial = dir.resolve("." + file.getFileName());
    try {
      directory(dir);
      Files.deleteIfExists(partial);
      Files.createFile(partial, FILE_MODE);
      try (RandomAccessFile f = new RandomAccessFile(partial.toFile(), "rw")) {
        if (thick) {
          allocator.allocate(partial, size);
        } else {
          f.setLength(size);
        }
        f.getFD().sync();
      }
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
      DurableFiles.syncDirectory(dir);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(partial);
      Refusal refusal = refusal(file, dir, size, thick, e);
      log.warn("pool volume {} refused: {}", file, refusal.message());
      return refusal;
    }
    log.info(
        "created pool volume {} ({} bytes, {})",
        file,
        size,
        thick ? "thick: every block allocated" : "thin: sparse");
    return null;
  }

  /**
   * NoSpace when the filesystem, measured after the partial file is gone, has less free than the
   * volume asks; that is what ENOSPC means, and the numbers are what a person needs to act.
   */
  private Refusal refusal(Path file, Path dir, long size, boolean thick, Exception e) {
    if (thick) {
      try {
        long free = probe.measure(dir).usableBytes();
        if (free < size) {
          return new Refusal(
              Refusal.NO_SPACE,
              "thick volume "
                  + file
                  + " needs "
                  + size
                  + " bytes, the filesystem of "
                  + dir
                  + " has "
                  + free
                  + " free");
        }
      } catch (IOException | RuntimeException unmeasured) {
        // Reported as the failure it is, below.
      }
    }
    return new Refusal(Refusal.POOL_VOLUME_FAILED, "cannot create " + file + ": " + why(e));
  }

  /** The directory, made 0700 when missing: volumes hold other people's data. */
  private static void directory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, DIRECTORY_MODE);
    }
  }

  private static String why(Exception e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("cannot delete the partial volume {}: {}", file, e.getMessage());
    }
  }
}
