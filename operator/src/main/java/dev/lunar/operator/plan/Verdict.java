package dev.lunar.operator.plan;

/**
 * What planning decided about one IscsiTarget or IscsiLun before any agent saw it.
 *
 * @param reason a condition reason: {@code Scheduled} when it went into its node's spec, otherwise
 *     why not ({@code TargetNotFound}, {@code DuplicateLun}, {@code DeviceNotFound}, {@code
 *     DeviceInUse}, {@code SecretInvalid}, {@code PoolNotFound}, {@code PoolNotOnNode}, {@code
 *     PoolNotReady}, {@code PoolFull}, {@code DiskAssigned}, {@code DiskConflict})
 * @param message what a user reads in the condition
 */
public record Verdict(String reason, String message) {

  public static final String SCHEDULED = "Scheduled";
  public static final String TARGET_NOT_FOUND = "TargetNotFound";
  public static final String DUPLICATE_LUN = "DuplicateLun";
  public static final String SECRET_INVALID = "SecretInvalid";
  public static final String DEVICE_NOT_FOUND = "DeviceNotFound";
  public static final String DEVICE_IN_USE = "DeviceInUse";
  public static final String POOL_NOT_FOUND = "PoolNotFound";
  public static final String POOL_NOT_ON_NODE = "PoolNotOnNode";
  public static final String POOL_NOT_READY = "PoolNotReady";
  public static final String POOL_FULL = "PoolFull";

  /** A disk-pool volume got a disk that is not recorded on its IscsiLun yet. */
  public static final String DISK_ASSIGNED = "DiskAssigned";

  /** An older volume records the same disk. */
  public static final String DISK_CONFLICT = "DiskConflict";

  public boolean scheduled() {
    return SCHEDULED.equals(reason);
  }

  static Verdict scheduled(String node) {
    return new Verdict(SCHEDULED, "in the desired set of node " + node);
  }
}
