package dev.lunar.agent.iscsi.pdu;

/** Reason codes of a Reject PDU, byte 2 (RFC 7143 section 11.17.1). */
public enum RejectReason {
  DATA_DIGEST_ERROR(0x02),
  SNACK_REJECT(0x03),
  PROTOCOL_ERROR(0x04),
  COMMAND_NOT_SUPPORTED(0x05),
  IMMEDIATE_COMMAND_REJECT(0x06),
  TASK_IN_PROGRESS(0x07),
  INVALID_DATA_ACK(0x08),
  INVALID_PDU_FIELD(0x09),
  LONG_OP_REJECT(0x0a),
  DEPRECATED(0x0b),
  WAITING_FOR_LOGOUT(0x0c);

  private static final RejectReason[] BY_VALUE = new RejectReason[0x0d];

  static {
    for (RejectReason reason : values()) {
      BY_VALUE[reason.value] = reason;
    }
  }

  private final int value;

  RejectReason(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  /**
   * The reason for a wire code.
   *
   * @throws IllegalArgumentException for a reserved code
   */
  public static RejectReason valueOf(int value) {
    RejectReason reason = value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    if (reason == null) {
      throw new IllegalArgumentException("unknown reject reason 0x" + Integer.toHexString(value));
    }
    return reason;
  }
}
