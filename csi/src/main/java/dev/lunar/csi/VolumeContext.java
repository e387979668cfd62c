package dev.lunar.csi;

/**
 * The keys of a volume's context, which the controller answers in CreateVolume and the node service
 * receives in NodeStageVolume (Kubernetes keeps them in the PersistentVolume's {@code
 * spec.csi.volumeAttributes}): where to log in.
 */
public final class VolumeContext {

  /** The target's portal, {@code host:port}. */
  public static final String PORTAL = "portal";

  /** The target's iSCSI name. */
  public static final String IQN = "iqn";

  /** The LUN number, decimal. */
  public static final String LUN = "lun";

  private VolumeContext() {}
}
