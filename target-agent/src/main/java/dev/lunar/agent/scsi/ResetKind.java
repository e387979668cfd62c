package dev.lunar.agent.scsi;

/** The resets a logical unit can be told about (SAM-5 6.3, iSCSI task management functions). */
public enum ResetKind {
  /** LOGICAL UNIT RESET aimed at this unit. */
  LOGICAL_UNIT,
  /** TARGET WARM RESET: every unit of the target. */
  TARGET_WARM,
  /** TARGET COLD RESET: a warm reset that also drops every connection of the target. */
  TARGET_COLD
}
