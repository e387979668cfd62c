package dev.lunar.agent.scsi;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a logical unit knows about the target that holds it.
 *
 * @param tid the target id (tgtadm's {@code --tid}); used in tgt-style default identifiers
 * @param targetName the target's iSCSI name; used in VPD page 0x83 and the default NAA identifier
 * @param lunNumbers the target's current LUN numbers, controller included, asked anew for every
 *     REPORT LUNS so that LUNs added or removed later show up
 * @param restored the unit is being brought back from persisted state after the daemon restarted
 *     ({@link dev.lunar.agent.engine.TargetEngine#restore}): its data never went away (page cache
 *     and disk survive a process crash), so it is not a power cycle and no POWER ON unit attention
 *     is raised; initiators reconnecting mid-I/O carry on
 */
public record LunContext(int tid, String targetName, Supplier<int[]> lunNumbers, boolean restored) {

  public LunContext {
    Objects.requireNonNull(targetName, "targetName");
    Objects.requireNonNull(lunNumbers, "lunNumbers");
  }

  /** A unit created now, not restored: every nexus first sees POWER ON, RESET. */
  public LunContext(int tid, String targetName, Supplier<int[]> lunNumbers) {
    this(tid, targetName, lunNumbers, false);
  }

  /**
   * tgt's default T10 vendor identification for a LUN ("SCSI ID" in tgtadm): the 8-character vendor
   * {@code IET} then tid and LUN as four hex digits each, e.g. {@code IET 00010001}.
   */
  public String defaultScsiId(int lun) {
    return String.format("IET     %04x%04x", tid, lun);
  }

  /** tgt's default unit serial number ("SCSI SN"): {@code beaf} then tid and LUN in decimal. */
  public String defaultSerial(int lun) {
    return "beaf" + tid + lun;
  }
}
