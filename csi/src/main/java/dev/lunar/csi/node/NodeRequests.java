package dev.lunar.csi.node;

import csi.v1.Csi.NodeStageVolumeRequest;
import csi.v1.Csi.VolumeCapability;
import csi.v1.Csi.VolumeCapability.AccessMode;
import dev.lunar.csi.VolumeContext;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checks and parses the node requests' fields. Everything a request lacks or gets wrong is
 * INVALID_ARGUMENT, named by the field; a secret's value is never quoted.
 */
final class NodeRequests {

  /** The largest LUN number SAM's flat addressing carries, and so the largest a target assigns. */
  private static final int MAX_LUN = 16383;

  private NodeRequests() {}

  static Staging staging(NodeStageVolumeRequest request) {
    require(request.getVolumeId(), "volume_id");
    require(request.getStagingTargetPath(), "staging_target_path");
    boolean block = isBlock(request.getVolumeCapability(), request.hasVolumeCapability());
    VolumeCapability capability = request.getVolumeCapability();
    AccessMode.Mode mode = capability.getAccessMode().getMode();
    String fsType = "";
    if (!block) {
      if (mode == AccessMode.Mode.MULTI_NODE_MULTI_WRITER
          || mode == AccessMode.Mode.MULTI_NODE_SINGLE_WRITER) {
        // ext3, ext4 and xfs are no cluster file systems: a writer on one node and anyone on
        // another see (and make) corruption. Raw block volumes may be shared; the pods coordinate.
        throw invalid(
            "access mode "
                + mode
                + " would mount one "
                + "file system on several nodes while one writes; only block volumes allow that");
      }
      fsType =
          capability.getMount().getFsType().isEmpty()
              ? Filesystems.DEFAULT
              : capability.getMount().getFsType();
      if (!Filesystems.SUPPORTED.contains(fsType)) {
        throw invalid(
            "fs_type " + fsType + " is not one of " + new TreeSet<>(Filesystems.SUPPORTED));
      }
    }
    Map<String, String> context = request.getVolumeContextMap();
    IscsiTarget target =
        IscsiTarget.parse(
            required(context, VolumeContext.PORTAL), required(context, VolumeContext.IQN));
    StagedVolume volume =
        new StagedVolume(
            request.getVolumeId(),
            target,
            lun(required(context, VolumeContext.LUN)),
            path(request.getStagingTargetPath()),
            block,
            fsType);
    boolean readOnly =
        mode == AccessMode.Mode.SINGLE_NODE_READER_ONLY
            || mode == AccessMode.Mode.MULTI_NODE_READER_ONLY;
    return new Staging(
        volume,
        block ? List.of() : capability.getMount().getMountFlagsList(),
        readOnly,
        ChapCredentials.fromSecrets(request.getSecretsMap()));
  }

  /** Whether a capability asks for a raw block volume; it must ask for block or mount. */
  static boolean isBlock(VolumeCapability capability, boolean present) {
    if (!present) {
      throw invalid("volume_capability is missing");
    }
    if (capability.hasBlock()) {
      return true;
    }
    if (capability.hasMount()) {
      return false;
    }
    throw invalid("volume_capability has neither block nor mount access");
  }

  static void require(String value, String field) {
    if (value.isEmpty()) {
      throw invalid(field + " is missing");
    }
  }

  static Path path(String value) {
    Path path = Path.of(value);
    if (!path.isAbsolute()) {
      throw invalid("path " + value + " is not absolute");
    }
    return path.normalize();
  }

  private static String required(Map<String, String> context, String key) {
    String value = context.get(key);
    if (value == null || value.isEmpty()) {
      throw invalid(
          "volume_context has no " + key + " (a volume this driver's controller made has)");
    }
    return value;
  }

  private static int lun(String value) {
    try {
      int lun = Integer.parseInt(value);
      if (lun >= 0 && lun <= MAX_LUN) {
        return lun;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(
        "volume_context lun \"" + value + "\" is not a LUN number (0 to " + MAX_LUN + ")");
  }

  private static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
