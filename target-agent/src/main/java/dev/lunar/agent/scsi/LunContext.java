package dev.lunar.agent.scsi;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * What a logical unit knows about the target that holds it.
 *
 * @param tid the target id (tgtadm's {@code --tid}); used in tgt-style default identifiers
 * @param targetName the target's iSCSI name; used in VPD page 0x83 and the default NAA identifier
 * @param lunNumbers the target's current LUN numbers, controller included, asked anew for every
 *     REPORT LUNS so that LUNs added or removed later show up
 * @param units the target's current unit for a LUN number, or {@code null}; lets EXTENDED COPY
 *     reach the other LUNs of the target
 * @param persistentDir where a unit keeps state that must survive a restart (persistent
 *     reservations with APTPL), or {@code null} when nothing is kept
 * @param restored the unit is being brought back from persisted state after the daemon restarted
 *     ({@link dev.lunar.agent.engine.TargetEngine#restore}): its data never went away (page cache
 *     and disk survive a process crash), so it is not a power cycle and no POWER ON unit attention
 *     is raised; initiators reconnecting mid-I/O carry on
 */
public record LunContext(
    int tid,
    String targetName,
    Supplier<int[]> lunNumbers,
    IntFunction<LogicalUnit> units,
    Path persistentDir,
    boolean restored) {

  public LunContext {
    Objects.requireNonNull(targetName, "targetName");
    Objects.requireNonNull(lunNumbers, "lunNumbers");
    Objects.requireNonNull(units, "units");
  }

  /** A context whose units see no other LUN and keep nothing across restarts. */
  public LunContext(int tid, String targetName, Supplier<int[]> lunNumbers) {
    this(tid, targetName, lunNumbers, lun -> null, null, false);
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

  /** The disk of the target's unit whose NAA designator is {@code naa}, or {@code null}. */
  Disk diskByNaa(long naa) {
    for (int lun : lunNumbers.get()) {
      if (units.apply(lun) instanceof ScsiUnit unit
          && unit.disk() != null
          && unit.identity().naa() == naa) {
        return unit.disk();
      }
    }
    return null;
  }
}
