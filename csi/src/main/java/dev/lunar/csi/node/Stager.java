package dev.lunar.csi.node;

import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NodeStageVolume and NodeUnstageVolume: log in to the volume's target, wait for its LUN, make and
 * mount its file system at the staging path; and back. A target's session is shared by all its
 * staged LUNs, so staging and unstaging take the target's lock, and unstaging logs out only when
 * the staging records show no other LUN of the target in use.
 */
final class Stager {

  private static final Logger LOG = LoggerFactory.getLogger(Stager.class);

  private final Iscsiadm iscsiadm;
  private final Devices devices;
  private final Filesystems filesystems;
  private final Mounts mounts;
  private final StagingState state;
  private final Duration deviceTimeout;
  private final ConcurrentHashMap<IscsiTarget, ReentrantLock> targetLocks =
      new ConcurrentHashMap<>();

  Stager(
      Iscsiadm iscsiadm,
      Devices devices,
      Filesystems filesystems,
      Mounts mounts,
      StagingState state,
      Duration deviceTimeout) {
    this.iscsiadm = iscsiadm;
    this.devices = devices;
    this.filesystems = filesystems;
    this.mounts = mounts;
    this.state = state;
    this.deviceTimeout = deviceTimeout;
  }

  void stage(Staging staging) throws IOException, InterruptedException {
    StagedVolume volume = staging.volume();
    ReentrantLock lock = lockOf(volume.target());
    lock.lock();
    try {
      Optional<StagedVolume> recorded = state.find(volume.volumeId());
      if (recorded.isPresent() && !recorded.get().equals(volume)) {
        throw Status.ALREADY_EXISTS
            .withDescription(
                "volume "
                    + volume.volumeId()
                    + " is staged already, differently: "
                    + describe(recorded.get())
                    + "; asked: "
                    + describe(volume))
            .asRuntimeException();
      }
      if (recorded.isPresent() && isComplete(volume)) {
        LOG.debug("{} is staged already", staging);
        return;
      }
      // Recorded before the login, so that a sibling's unstage meanwhile or after a crash knows
      // this LUN may be using the session.
      state.save(volume);
      try {
        Path device = attach(staging);
        if (!volume.block()) {
          mountFilesystem(staging, device);
        }
      } catch (IOException | RuntimeException | InterruptedException e) {
        rollBack(volume);
        throw e;
      }
      LOG.info("staged {} at {}", staging, volume.stagingPath());
    } finally {
      lock.unlock();
    }
  }

  void unstage(String volumeId, Path stagingPath) throws IOException {
    Optional<StagedVolume> recorded = state.find(volumeId);
    if (recorded.isEmpty()) {
      // Unknown volume: done already, as the spec wants it; only a mount we lost track of goes.
      unmountIfMounted(stagingPath);
      return;
    }
    StagedVolume volume = recorded.get();
    ReentrantLock lock = lockOf(volume.target());
    lock.lock();
    try {
      unmountIfMounted(stagingPath);
      if (!volume.stagingPath().equals(stagingPath)) {
        LOG.warn(
            "volume {} was staged at {}, unstaged at {}: unmounting both",
            volumeId,
            volume.stagingPath(),
            stagingPath);
        unmountIfMounted(volume.stagingPath());
      }
      detach(volume);
      state.remove(volumeId);
      LOG.info("unstaged volume {} (LUN {} of {})", volumeId, volume.lun(), volume.target());
    } finally {
      lock.unlock();
    }
  }

  /** A recorded volume still in place: its file system mounted, or its block device present. */
  private boolean isComplete(StagedVolume volume) throws IOException {
    return volume.block()
        ? devices.find(volume.target(), volume.lun()).isPresent()
        : mounts.isMountPoint(volume.stagingPath());
  }

  /** Logs in (or rescans a session already there) and answers the LUN's device. */
  private Path attach(Staging staging) throws IOException, InterruptedException {
    IscsiTarget target = staging.target();
    int lun = staging.volume().lun();
    iscsiadm.writeRecord(target, staging.chap());
    boolean hadSession;
    try {
      hadSession = iscsiadm.login(target);
    } catch (CommandFailedException e) {
      throw StageFailures.login(target, e);
    }
    if (hadSession) {
      // Left by a crashed plugin, or serving another LUN of the target: a second login would
      // fail, but the session may not have scanned this LUN yet.
      LOG.info("a session to {} is logged in already; rescanning it for LUN {}", target, lun);
      iscsiadm.rescan(target);
    }
    Path device =
        devices
            .await(target, lun, deviceTimeout)
            .orElseThrow(
                () ->
                    StageFailures.deviceMissing(
                        target, lun, devices.link(target, lun), deviceTimeout));
    List<String> holders = devices.holders(device);
    if (!holders.isEmpty()) {
      throw StageFailures.claimed(device, holders, target, lun);
    }
    return device;
  }

  /** Makes the file system if the device is blank, then mounts it at the staging path. */
  private void mountFilesystem(Staging staging, Path device) throws IOException {
    StagedVolume volume = staging.volume();
    Path stagingPath = volume.stagingPath();
    Optional<Mounts.Mount> mounted = mounts.at(stagingPath);
    if (mounted.isPresent()) {
      if (mounted.get().source().equals(device.toString())) {
        return;
      }
      throw Status.FAILED_PRECONDITION
          .withDescription(
              stagingPath + " has " + mounted.get().source() + " mounted, not " + device)
          .asRuntimeException();
    }
    Files.createDirectories(stagingPath);
    Filesystems.Probe probe = filesystems.probe(device);
    if (probe.blank()) {
      filesystems.format(device, volume.fsType());
    } else if (probe.filesystem().isEmpty()) {
      throw Status.FAILED_PRECONDITION
          .withDescription(
              device
                  + " has a "
                  + probe.partitionTable().orElseThrow()
                  + " partition table and no file system; not formatting over it")
          .asRuntimeException();
    } else if (!probe.filesystem().get().equals(volume.fsType())) {
      throw Status.FAILED_PRECONDITION
          .withDescription(
              "volume "
                  + volume.volumeId()
                  + " holds "
                  + probe.filesystem().get()
                  + ", but its capability asks for "
                  + volume.fsType()
                  + "; not reformatting it")
          .asRuntimeException();
    }
    List<String> options = new ArrayList<>(staging.mountFlags());
    if (staging.readOnly() && !options.contains("ro")) {
      options.add("ro");
    }
    filesystems.mount(device, stagingPath, volume.fsType(), options);
  }

  /** Undoes a failed stage as far as it got, keeping the first failure as the answer. */
  private void rollBack(StagedVolume volume) {
    try {
      unmountIfMounted(volume.stagingPath());
      detach(volume);
      state.remove(volume.volumeId());
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "cleaning up after failing to stage volume {}: {}", volume.volumeId(), e.getMessage());
    }
  }

  /**
   * Gives the LUN back: the whole session when no other staged volume uses the target, else only
   * this LUN's disk.
   */
  private void detach(StagedVolume volume) throws IOException {
    IscsiTarget target = volume.target();
    List<String> siblings =
        state.all().stream()
            .filter(other -> other.target().equals(target))
            .filter(other -> !other.volumeId().equals(volume.volumeId()))
            .map(StagedVolume::volumeId)
            .toList();
    if (!siblings.isEmpty()) {
      Optional<Path> device = devices.find(target, volume.lun());
      if (device.isPresent()) {
        devices.remove(device.get());
      }
      LOG.info("keeping the session to {}: volumes {} still use it", target, siblings);
      return;
    }
    iscsiadm.logout(target);
    iscsiadm.deleteRecord(target);
  }

  private void unmountIfMounted(Path path) throws IOException {
    if (mounts.isMountPoint(path)) {
      filesystems.unmount(path);
    }
  }

  private ReentrantLock lockOf(IscsiTarget target) {
    return targetLocks.computeIfAbsent(target, t -> new ReentrantLock());
  }

  private static String describe(StagedVolume volume) {
    return "LUN "
        + volume.lun()
        + " of "
        + volume.target()
        + " at "
        + volume.stagingPath()
        + " as "
        + (volume.block() ? "block" : volume.fsType());
  }
}
