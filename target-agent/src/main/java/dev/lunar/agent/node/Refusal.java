package dev.lunar.agent.node;

/**
 * Why a LUN of the IscsiNode spec was left out of what the engine applies.
 *
 * @param reason the condition reason the operator shows on the IscsiLun, such as {@link
 *     #DEVICE_IN_USE}
 * @param detail what a person needs to know, such as which device and what uses it
 */
public record Refusal(String reason, String detail) {

  /** The device is mounted, partitioned, holds a signature or backs the root filesystem. */
  public static final String DEVICE_IN_USE = "DeviceInUse";

  /** The path names no block device of this node. */
  public static final String DEVICE_NOT_FOUND = "DeviceNotFound";

  /** A thick pool volume's blocks did not fit in what its filesystem has free. */
  public static final String NO_SPACE = "NoSpace";

  /** A pool volume's file could not be created, for a reason other than space. */
  public static final String POOL_VOLUME_FAILED = "PoolVolumeFailed";

  /** A volume group pool's group does not exist on the node. */
  public static final String VOLUME_GROUP_MISSING = "VolumeGroupMissing";

  /** A volume group pool's thin pool is not a thin-pool logical volume of the group. */
  public static final String THIN_POOL_MISSING = "ThinPoolMissing";

  /** The thin pool does not zero new chunks, which would expose a deleted volume's data. */
  public static final String THIN_POOL_NOT_ZEROING = "ThinPoolNotZeroing";

  /** A new thick logical volume is being zeroed; it is served once every byte is. */
  public static final String VOLUME_WIPING = "VolumeWiping";

  /**
   * The status message: the reason, then the detail. Operators before the status had a reason field
   * read the reason from this prefix, so it stays during a rolling upgrade.
   */
  public String message() {
    return reason + ": " + detail;
  }
}
