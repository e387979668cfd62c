package dev.lunar.agent.scsi;

/**
 * The sense key, additional sense code and qualifier triples this device model reports (SPC-4 4.5.6
 * and annex D). Keys: 0 NO SENSE, 2 NOT READY, 3 MEDIUM ERROR, 4 HARDWARE ERROR, 5 ILLEGAL REQUEST,
 * 6 UNIT ATTENTION, 7 DATA PROTECT, 0x0A COPY ABORTED, 0x0B ABORTED COMMAND, 0x0E MISCOMPARE.
 * Public so that the transport answers its own failures (a lost data sequence, a command that could
 * not run) through {@link ScsiResult#checkCondition} instead of building sense bytes itself.
 */
public enum SenseCode {
  NO_SENSE(0x0, 0x00, 0x00),
  NOT_READY(0x2, 0x04, 0x00),
  NOT_READY_MANUAL_INTERVENTION(0x2, 0x04, 0x03),
  SANITIZE_IN_PROGRESS(0x2, 0x04, 0x1B),
  SANITIZE_COMMAND_FAILED(0x3, 0x31, 0x03),
  UNRECOVERED_READ_ERROR(0x3, 0x11, 0x00),
  WRITE_ERROR(0x3, 0x0C, 0x00),
  INTERNAL_TARGET_FAILURE(0x4, 0x44, 0x00),
  PARAMETER_LIST_LENGTH_ERROR(0x5, 0x1A, 0x00),
  INVALID_COMMAND_OPERATION_CODE(0x5, 0x20, 0x00),
  LBA_OUT_OF_RANGE(0x5, 0x21, 0x00),
  INVALID_FIELD_IN_CDB(0x5, 0x24, 0x00),
  INVALID_FIELD_IN_INFORMATION_UNIT(0x5, 0x0E, 0x03),
  LOGICAL_UNIT_NOT_SUPPORTED(0x5, 0x25, 0x00),
  INVALID_FIELD_IN_PARAMETER_LIST(0x5, 0x26, 0x00),
  INVALID_RELEASE_OF_PERSISTENT_RESERVATION(0x5, 0x26, 0x04),
  SAVING_PARAMETERS_NOT_SUPPORTED(0x5, 0x39, 0x00),
  MEDIUM_REMOVAL_PREVENTED(0x5, 0x53, 0x02),
  POWER_ON_RESET(0x6, 0x29, 0x00),
  MODE_PARAMETERS_CHANGED(0x6, 0x2A, 0x01),
  CAPACITY_DATA_HAS_CHANGED(0x6, 0x2A, 0x09),
  RESERVATIONS_PREEMPTED(0x6, 0x2A, 0x03),
  RESERVATIONS_RELEASED(0x6, 0x2A, 0x04),
  REGISTRATIONS_PREEMPTED(0x6, 0x2A, 0x05),
  REPORTED_LUNS_DATA_CHANGED(0x6, 0x3F, 0x0E),
  WRITE_PROTECTED(0x7, 0x27, 0x00),
  TOO_MANY_TARGET_DESCRIPTORS(0x5, 0x26, 0x06),
  UNSUPPORTED_TARGET_DESCRIPTOR_TYPE_CODE(0x5, 0x26, 0x07),
  TOO_MANY_SEGMENT_DESCRIPTORS(0x5, 0x26, 0x08),
  UNSUPPORTED_SEGMENT_DESCRIPTOR_TYPE_CODE(0x5, 0x26, 0x09),
  COMMAND_ABORTED(0xB, 0x00, 0x00),
  DATA_PHASE_ERROR(0xB, 0x4B, 0x00),
  COPY_ABORTED(0xA, 0x00, 0x00),
  COPY_TARGET_NOT_REACHABLE(0xA, 0x0D, 0x02),
  MISCOMPARE_DURING_VERIFY(0xE, 0x1D, 0x00);

  /** The sense key of failures to read or write the medium, which the units map store I/O to. */
  static final int MEDIUM_ERROR_KEY = 0x3;

  private final int key;
  private final int asc;
  private final int ascq;

  SenseCode(int key, int asc, int ascq) {
    this.key = key;
    this.asc = asc;
    this.ascq = ascq;
  }

  int key() {
    return key;
  }

  int asc() {
    return asc;
  }

  int ascq() {
    return ascq;
  }
}
