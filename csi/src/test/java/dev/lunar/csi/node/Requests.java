package dev.lunar.csi.node;

import csi.v1.Csi.NodePublishVolumeRequest;
import csi.v1.Csi.NodeStageVolumeRequest;
import csi.v1.Csi.NodeUnpublishVolumeRequest;
import csi.v1.Csi.NodeUnstageVolumeRequest;
import csi.v1.Csi.VolumeCapability;
import csi.v1.Csi.VolumeCapability.AccessMode;
import dev.lunar.csi.VolumeContext;
import java.nio.file.Path;
import java.util.Map;

/** Node requests as kubelet sends them for a Lunar volume. */
final class Requests {

  static final String SECRET = "s3cr3t-chap-Passw0rd";
  static final String SECRET_IN = "mutual-S3cret-0f-target";

  private Requests() {}

  static VolumeCapability mount(String fsType) {
    return VolumeCapability.newBuilder()
        .setMount(VolumeCapability.MountVolume.newBuilder().setFsType(fsType))
        .setAccessMode(AccessMode.newBuilder().setMode(AccessMode.Mode.SINGLE_NODE_WRITER))
        .build();
  }

  static VolumeCapability block() {
    return VolumeCapability.newBuilder()
        .setBlock(VolumeCapability.BlockVolume.getDefaultInstance())
        .setAccessMode(AccessMode.newBuilder().setMode(AccessMode.Mode.SINGLE_NODE_WRITER))
        .build();
  }

  static NodeStageVolumeRequest.Builder stage(String volumeId, int lun, Path stagingPath) {
    return NodeStageVolumeRequest.newBuilder()
        .setVolumeId(volumeId)
        .setStagingTargetPath(stagingPath.toString())
        .setVolumeCapability(mount(""))
        .putAllVolumeContext(
            Map.of(
                VolumeContext.PORTAL, FakeHost.PORTAL,
                VolumeContext.IQN, FakeHost.IQN,
                VolumeContext.LUN, Integer.toString(lun)))
        .putAllSecrets(Map.of("username", "pvc-1-initiator", "password", SECRET));
  }

  static NodeUnstageVolumeRequest unstage(String volumeId, Path stagingPath) {
    return NodeUnstageVolumeRequest.newBuilder()
        .setVolumeId(volumeId)
        .setStagingTargetPath(stagingPath.toString())
        .build();
  }

  static NodePublishVolumeRequest.Builder publish(
      String volumeId, Path stagingPath, Path targetPath) {
    return NodePublishVolumeRequest.newBuilder()
        .setVolumeId(volumeId)
        .setStagingTargetPath(stagingPath.toString())
        .setTargetPath(targetPath.toString())
        .setVolumeCapability(mount(""));
  }

  static NodeUnpublishVolumeRequest unpublish(String volumeId, Path targetPath) {
    return NodeUnpublishVolumeRequest.newBuilder()
        .setVolumeId(volumeId)
        .setTargetPath(targetPath.toString())
        .build();
  }
}
