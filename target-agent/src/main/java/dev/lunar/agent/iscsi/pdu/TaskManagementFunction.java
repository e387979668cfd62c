package dev.lunar.agent.iscsi.pdu;

/**
 * Task management function codes, byte 1 bits 0-6 of a TMF request (RFC 7143 section 11.5.1).
 * {@link #UNKNOWN} stands for any code not listed, so that such a request still decodes and the
 * session can answer "function not supported"; the raw code stays in {@link
 * TaskManagementRequest#functionCode()}.
 */
public enum TaskManagementFunction {
  ABORT_TASK(1),
  ABORT_TASK_SET(2),
  CLEAR_ACA(3),
  CLEAR_TASK_SET(4),
  LOGICAL_UNIT_RESET(5),
  TARGET_WARM_RESET(6),
  TARGET_COLD_RESET(7),
  TASK_REASSIGN(8),
  /** Any other code; its {@link #value()} is -1. */
  UNKNOWN(-1);

  private static final TaskManagementFunction[] BY_VALUE = new TaskManagementFunction[9];

  static {
    for (TaskManagementFunction function : values()) {
      if (function != UNKNOWN) {
        BY_VALUE[function.value] = function;
      }
    }
  }

  private final int value;

  TaskManagementFunction(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  /** The function for a wire code; {@link #UNKNOWN} for codes RFC 7143 does not define. */
  public static TaskManagementFunction valueOf(int value) {
    TaskManagementFunction function =
        value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    return function == null ? UNKNOWN : function;
  }
}
