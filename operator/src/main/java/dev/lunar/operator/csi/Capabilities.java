package dev.lunar.operator.csi;

import csi.v1.Csi.VolumeCapability;
import csi.v1.Csi.VolumeCapability.AccessMode.Mode;
import java.util.List;
import java.util.Set;

/**
 * Which volume capabilities a Lunar volume offers. A LUN is a block device: raw block volumes go
 * with any access mode (a cluster filesystem or a database may share one between nodes), while a
 * filesystem made on it may be written from one node only, since ext4 or xfs mounted twice corrupts
 * itself.
 */
final class Capabilities {

  static final Set<String> FILESYSTEMS = Set.of("ext4", "ext3", "xfs");

  private static final Set<Mode> SINGLE_NODE =
      Set.of(
          Mode.SINGLE_NODE_WRITER, Mode.SINGLE_NODE_SINGLE_WRITER, Mode.SINGLE_NODE_MULTI_WRITER);

  private Capabilities() {}

  /** Why {@code capabilities} cannot all be served, or null when they can. */
  static String problem(List<VolumeCapability> capabilities) {
    if (capabilities.isEmpty()) {
      return "volume capabilities are required";
    }
    for (VolumeCapability capability : capabilities) {
      String problem = problem(capability);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  static String problem(VolumeCapability capability) {
    if (!capability.hasAccessMode()
        || capability.getAccessMode().getMode() == Mode.UNKNOWN
        || capability.getAccessMode().getMode() == Mode.UNRECOGNIZED) {
      return "a volume capability needs an access mode";
    }
    Mode mode = capability.getAccessMode().getMode();
    if (capability.hasBlock()) {
      return null;
    }
    if (!capability.hasMount()) {
      return "a volume capability needs an access type, block or mount";
    }
    String fsType = capability.getMount().getFsType();
    if (!fsType.isEmpty() && !FILESYSTEMS.contains(fsType)) {
      return "filesystem " + fsType + " is not supported; use one of " + FILESYSTEMS;
    }
    if (!SINGLE_NODE.contains(mode) && mode != Mode.MULTI_NODE_READER_ONLY) {
      return "access mode "
          + mode
          + " needs a raw block volume: a filesystem on a LUN can be written from one node only";
    }
    return null;
  }

  /** Whether {@code mode} lets only one node use the volume at a time. */
  static boolean singleNode(Mode mode) {
    return SINGLE_NODE.contains(mode);
  }
}
