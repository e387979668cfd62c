package dev.lunar.agent.scsi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * How a unit names itself in INQUIRY data and VPD pages.
 *
 * @param deviceType peripheral device type: 0x00 disk, 0x0C storage array controller
 * @param lun the LUN number
 * @param targetName the target's iSCSI name
 * @param productId up to 16 ASCII characters
 * @param scsiId the T10 vendor identification designator (tgt's "SCSI ID")
 * @param serial the unit serial number (VPD 0x80, tgt's "SCSI SN")
 * @param naa the 8-byte NAA designator value (NAA 3, locally assigned)
 * @param removable report removable media (RMB)
 */
record UnitIdentity(
    int deviceType,
    int lun,
    String targetName,
    String productId,
    String scsiId,
    String serial,
    long naa,
    boolean removable) {

  static final String VENDOR_ID = "LUNAR";
  static final String REVISION = "0001";
  static final int TYPE_DISK = 0x00;
  static final int TYPE_CONTROLLER = 0x0C;

  /**
   * A stable NAA 3 (locally assigned) identifier: the NAA nibble then 60 bits of a SHA-256 over the
   * target name, LUN and serial, so the same export keeps its WWN across restarts.
   */
  static long naaFor(String targetName, int lun, String serial) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((targetName + "\0" + lun + "\0" + serial).getBytes(StandardCharsets.UTF_8));
      return 0x3L << 60 | Bytes.u64(digest, 0) >>> 4;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
