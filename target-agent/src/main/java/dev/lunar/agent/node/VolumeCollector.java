package dev.lunar.agent.node;

import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the files of pool volumes the spec no longer names, once the engine has applied that
 * spec, so an export is withdrawn before its file goes. Level-triggered: every apply looks at every
 * listed pool directory, so a deletion that failed, or a crash halfway, is made up by the next.
 *
 * <p>Deliberately narrow, since a wrong deletion loses data: only regular files named {@code
 * *.lunar-volume} (a symlink is neither followed nor removed), only directly in a directory the
 * spec lists as a pool, and nothing at all when the spec has no pool list (null): an operator from
 * before pools says nothing about them, and its silence must not read as "delete them all".
 */
final class VolumeCollector {

  private static final Logger log = LoggerFactory.getLogger(VolumeCollector.class);

  private VolumeCollector() {}

  /**
   * @param spec the applied IscsiNode spec: every file a LUN of it names is kept, refused or not
   * @param served what the engine serves now; its files are kept too, in case it still holds one
   */
  static void collect(IscsiNodeSpec spec, TargetSetSpec served) {
    if (spec.pools() == null) {
      return;
    }
    Named named = new Named();
    for (NodeTarget target : Objects.requireNonNullElse(spec.targets(), List.<NodeTarget>of())) {
      for (NodeLun lun : Objects.requireNonNullElse(target.luns(), List.<NodeLun>of())) {
        if (lun.file() != null) {
          named.add(Path.of(lun.file()));
        }
      }
    }
    for (TargetSpec target : served.targets()) {
      for (LunSpec lun : target.luns()) {
        if (lun.backingStore() != null) {
          named.add(Path.of(lun.backingStore()));
        }
      }
    }
    for (NodePool pool : spec.pools()) {
      if (pool.path() != null) { // LvmCollector and DiskVolumes keep the other kinds
        collect(Path.of(pool.path()), named);
      }
    }
  }

  private static void collect(Path dir, Named named) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (entry.getFileName().toString().endsWith(PoolVolumes.SUFFIX)) {
          collectIfUnnamed(entry, named);
        }
      }
    } catch (IOException e) {
      log.warn("pool directory {} not collected: {}", dir, e.getMessage());
    }
  }

  private static void collectIfUnnamed(Path entry, Named named) {
    try {
      BasicFileAttributes file =
          Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!file.isRegularFile() || named.contains(entry, file)) {
        return;
      }
      Files.delete(entry);
      log.info(
          "deleted pool volume {} ({} bytes): no LUN of the spec names it", entry, file.size());
    } catch (IOException e) {
      log.warn("cannot delete pool volume {}: {}", entry, e.getMessage());
    }
  }

  /**
   * The files to keep, by path and by inode: the same file spelled another way (through a symlinked
   * directory, or a hard link) is still the same volume.
   */
  private static final class Named {
    private final Set<Path> paths = new HashSet<>();
    private final Set<Object> inodes = new HashSet<>();

    void add(Path file) {
      paths.add(file.toAbsolutePath().normalize());
      try {
        Object inode = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        if (inode != null) {
          inodes.add(inode);
        }
      } catch (IOException e) {
        // Not there: nothing of that name to keep.
      }
    }

    boolean contains(Path entry, BasicFileAttributes file) {
      return paths.contains(entry.toAbsolutePath().normalize())
          || (file.fileKey() != null && inodes.contains(file.fileKey()));
    }
  }
}
