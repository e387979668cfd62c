package dev.lunar.csi.node;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A NodeStageVolume request, checked and parsed.
 *
 * @param volume what will be recorded once it is staged
 * @param mountFlags the capability's mount flags (file system volumes)
 * @param readOnly whether the access mode only reads, so the file system is mounted ro
 * @param chap the volume's CHAP credentials, if it has any
 */
record Staging(
    StagedVolume volume,
    List<String> mountFlags,
    boolean readOnly,
    Optional<ChapCredentials> chap) {

  IscsiTarget target() {
    return volume.target();
  }

  Path stagingPath() {
    return volume.stagingPath();
  }

  @Override
  public String toString() {
    return "volume "
        + volume.volumeId()
        + " (LUN "
        + volume.lun()
        + " of "
        + volume.target()
        + ", "
        + (volume.block() ? "block" : volume.fsType())
        + ")";
  }
}
