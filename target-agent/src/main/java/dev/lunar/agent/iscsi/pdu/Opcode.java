package dev.lunar.agent.iscsi.pdu;

/**
 * iSCSI opcodes, the low six bits of BHS byte 0 (RFC 7143 section 11.2.1.2). Codes 0x00-0x10 travel
 * initiator to target, 0x20-0x3f target to initiator.
 */
public enum Opcode {
  NOP_OUT(0x00),
  SCSI_COMMAND(0x01),
  TASK_MANAGEMENT_REQUEST(0x02),
  LOGIN_REQUEST(0x03),
  TEXT_REQUEST(0x04),
  DATA_OUT(0x05),
  LOGOUT_REQUEST(0x06),
  SNACK_REQUEST(0x10),
  NOP_IN(0x20),
  SCSI_RESPONSE(0x21),
  TASK_MANAGEMENT_RESPONSE(0x22),
  LOGIN_RESPONSE(0x23),
  TEXT_RESPONSE(0x24),
  DATA_IN(0x25),
  LOGOUT_RESPONSE(0x26),
  R2T(0x31),
  ASYNC_MESSAGE(0x32),
  REJECT(0x3f);

  private static final Opcode[] BY_VALUE = new Opcode[0x40];

  static {
    for (Opcode opcode : values()) {
      BY_VALUE[opcode.value] = opcode;
    }
  }

  private final int value;

  Opcode(int value) {
    this.value = value;
  }

  /** The six-bit wire code. */
  public int value() {
    return value;
  }

  /**
   * The opcode for a wire code.
   *
   * @throws IllegalArgumentException for a code no PDU kind uses
   */
  public static Opcode valueOf(int value) {
    Opcode opcode = find(value);
    if (opcode == null) {
      throw new IllegalArgumentException("unknown iSCSI opcode 0x" + Integer.toHexString(value));
    }
    return opcode;
  }

  /** The opcode for a wire code, or {@code null} when none matches. */
  static Opcode find(int value) {
    return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
  }
}
