package dev.lunar.csi;

/**
 * The keys of a volume's {@code volume_context}: the controller sets them in CreateVolume's answer,
 * the CO stores them in the PV, and the node service reads them in NodeStageVolume to find the LUN.
 * Both sides use these constants so that the two never drift apart.
 */
public final class VolumeContext {

  /** The target's portal, {@code host:port} ({@code [v6addr]:port} for IPv6). */
  public static final String PORTAL = "portal";

  /** The target's IQN. */
  public static final String IQN = "iqn";

  /** The LUN's number within the target, in decimal. */
  public static final String LUN = "lun";

  private VolumeContext() {}
}
