package dev.lunar.agent.tgtadm;

/**
 * The daemon's answer codes, with the text tgtadm prints for each ({@code tgtadm: TEXT} on stderr,
 * exit status 22). The texts are tgt 1.0.85's, observed from the real tgtadm: scripts grep for
 * them.
 */
public enum TgtadmError {
  SUCCESS(0, "success"),
  UNKNOWN_ERR(1, "unknown error"),
  NOMEM(2, "out of memory"),
  NO_DRIVER(3, "can't find the driver"),
  NO_TARGET(4, "can't find the target"),
  NO_LUN(5, "can't find the logical unit"),
  NO_SESSION(6, "can't find the session"),
  NO_CONNECTION(7, "can't find the connection"),
  TARGET_EXIST(8, "this target already exists"),
  LUN_EXIST(9, "this logical unit number already exists"),
  ACL_EXIST(10, "this access control rule already exists"),
  ACL_NOEXIST(11, "this access control rule does not exist"),
  USER_EXIST(12, "this account already exists"),
  NO_USER(13, "can't find the account"),
  TOO_MANY_USER(14, "too many accounts"),
  INVALID_REQUEST(15, "invalid request"),
  OUTACCOUNT_EXIST(16, "this target already has an outgoing account"),
  TARGET_ACTIVE(17, "this target is still active"),
  LUN_ACTIVE(18, "this logical unit is still active"),
  UNSUPPORTED_OPERATION(19, "this operation isn't supported"),
  UNKNOWN_PARAM(20, "unknown parameter");

  private static final TgtadmError[] BY_CODE = values();

  private final int code;
  private final String message;

  TgtadmError(int code, String message) {
    this.code = code;
    this.message = message;
  }

  /** The number carried on the control channel. */
  public int code() {
    return code;
  }

  /** What tgtadm prints after {@code "tgtadm: "}. */
  public String message() {
    return message;
  }

  /** The error with this wire code; unknown codes read as {@link #UNKNOWN_ERR}. */
  public static TgtadmError valueOf(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN_ERR;
  }
}
