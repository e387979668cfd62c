package dev.lunar.agent.iscsi.login;

/**
 * Status-Class and Status-Detail pairs of the Login Response (RFC 7143 11.13.5). The value sent on
 * the wire is {@code statusClass << 8 | statusDetail} in bytes 36..37 of the response BHS.
 */
public enum LoginStatus {
  SUCCESS(0x00, 0x00),
  TARGET_MOVED_TEMPORARILY(0x01, 0x01),
  TARGET_MOVED_PERMANENTLY(0x01, 0x02),
  INITIATOR_ERROR(0x02, 0x00),
  AUTHENTICATION_FAILURE(0x02, 0x01),
  AUTHORIZATION_FAILURE(0x02, 0x02),
  NOT_FOUND(0x02, 0x03),
  TARGET_REMOVED(0x02, 0x04),
  UNSUPPORTED_VERSION(0x02, 0x05),
  TOO_MANY_CONNECTIONS(0x02, 0x06),
  MISSING_PARAMETER(0x02, 0x07),
  CANT_INCLUDE_IN_SESSION(0x02, 0x08),
  SESSION_TYPE_NOT_SUPPORTED(0x02, 0x09),
  SESSION_DOES_NOT_EXIST(0x02, 0x0a),
  INVALID_DURING_LOGIN(0x02, 0x0b),
  TARGET_ERROR(0x03, 0x00),
  SERVICE_UNAVAILABLE(0x03, 0x01),
  OUT_OF_RESOURCES(0x03, 0x02);

  private final int statusClass;
  private final int statusDetail;

  LoginStatus(int statusClass, int statusDetail) {
    this.statusClass = statusClass;
    this.statusDetail = statusDetail;
  }

  public int statusClass() {
    return statusClass;
  }

  public int statusDetail() {
    return statusDetail;
  }

  /** The 16-bit value as it appears on the wire: class in the high byte, detail in the low. */
  public int value() {
    return statusClass << 8 | statusDetail;
  }

  /** A failure carrying this status; {@code message} is for logs and must hold no secret. */
  public LoginException exception(String message) {
    return new LoginException(statusClass, statusDetail, message);
  }
}
