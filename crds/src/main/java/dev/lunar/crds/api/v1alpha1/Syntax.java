package dev.lunar.crds.api.v1alpha1;

/**
 * Regular expressions and CEL rules shared by the schema annotations (iSCSI names have their own
 * class, {@link IscsiName}, which the agent uses too). Annotation values must be compile-time
 * constants, hence one class of constants. The expressions avoid backslashes ({@code [.]} instead
 * of an escaped dot) so the same text is valid as an OpenAPI pattern and inside a CEL string
 * literal.
 */
final class Syntax {

  /**
   * Every address is a CIDR, IPv4 ({@code 10.0.0.0/8}) or IPv6 ({@code fd00::/64}), checked by the
   * API server's CEL network library (Kubernetes 1.31 and later) rather than a regular expression,
   * which cannot tell a real IPv6 address from a string of hex digits and colons.
   */
  static final String ALL_CIDRS = "!has(self.addresses) || self.addresses.all(c, isCIDR(c))";

  /** The longest CIDR text, an IPv6 address with a prefix length. */
  static final int CIDR_MAX = 49;

  /** How many entries an access list may hold; bounds the cost of its CEL rules. */
  static final int ACL_MAX = 256;

  /** The largest LUN number a target addresses with the flat space of SAM-5 (14 bits). */
  static final int LUN_MAX = 16383;

  /** A unit serial number: printable ASCII without spaces, as VPD page 0x80 carries it. */
  static final String SERIAL = "^[!-~]{1,32}$";

  /** An NAA world wide name: 16 or 32 hex digits, optionally prefixed {@code naa.}. */
  static final String WWN = "^(naa[.])?[0-9a-fA-F]{16}([0-9a-fA-F]{16})?$";

  /** An absolute path below /dev. */
  static final String DEVICE_PATH = "^/dev/.+$";

  /** An absolute path. */
  static final String ABSOLUTE_PATH = "^/.+$";

  /** Globs on /dev/disk/by-id paths: only stable names choose a pool's disks. */
  static final String ALL_BY_ID_PATTERNS =
      "!has(self.byIdPatterns) || self.byIdPatterns.all(p, p.startsWith('/dev/disk/by-id/'))";

  static final String EXACTLY_ONE_BACKING = "has(self.device) ? !has(self.file) : has(self.file)";

  static final String EXACTLY_ONE_LUN_BACKING =
      "(has(self.device) ? 1 : 0) + (has(self.file) ? 1 : 0) + (has(self.pool) ? 1 : 0) == 1";

  static final String EXACTLY_ONE_LUN_BACKING_MESSAGE =
      "set exactly one of device (a block device path), file (a file path with a size) or pool (an"
          + " IscsiPool name with a size)";

  /**
   * A pool is exactly one kind. A sum of {@code has} terms, so that a further kind is one more term
   * here, in {@link #POOL_KIND_IMMUTABLE} and in the message.
   */
  static final String EXACTLY_ONE_POOL_KIND =
      "(has(self.directory) ? 1 : 0) + (has(self.volumeGroup) ? 1 : 0) + (has(self.disks) ? 1 : 0)"
          + " == 1";

  static final String EXACTLY_ONE_POOL_KIND_MESSAGE =
      "set exactly one of directory (a path on the node), volumeGroup (an LVM volume group) or"
          + " disks (whole disks)";

  /** A pool's kind never changes: its volumes live where the kind put them. */
  static final String POOL_KIND_IMMUTABLE =
      "has(self.directory) == has(oldSelf.directory)"
          + " && has(self.volumeGroup) == has(oldSelf.volumeGroup)"
          + " && has(self.disks) == has(oldSelf.disks)";

  /**
   * An LVM volume group or logical volume name as lvm(8) accepts it, except that a leading dot is
   * refused too (so are "." and ".." without a look-ahead, which the API server's regular
   * expressions lack).
   */
  static final String LVM_NAME = "^[A-Za-z0-9+_][A-Za-z0-9+_.-]*$";

  /** The longest VG or LV name lvm(8) accepts. */
  static final int LVM_NAME_MAX = 127;

  static final String EXACTLY_ONE_BACKING_MESSAGE =
      "set exactly one of device (a block device path) or file (a file path with a size)";

  /** Printer column path of the Ready condition's status. */
  static final String READY_COLUMN = ".status.conditions[?(@.type==\"Ready\")].status";

  /** Printer column path of the object's age. */
  static final String AGE_COLUMN = ".metadata.creationTimestamp";

  private Syntax() {}
}
