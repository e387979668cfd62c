package dev.lunar.agent.metrics;

/**
 * The {@code reason} tag of a login outcome, from the Login Response status (RFC 7143 section
 * 11.13.5). A fixed vocabulary keeps the tag bounded whatever an initiator sends.
 */
public final class LoginReasons {

  /** The reason of a login that succeeded. */
  public static final String NONE = "none";

  private LoginReasons() {}

  /** Names a failed login's status class and detail. */
  public static String of(int statusClass, int statusDetail) {
    return switch (statusClass) {
      case 0x01 -> "redirected";
      case 0x02 ->
          switch (statusDetail) {
            case 0x01 -> "authentication_failed";
            case 0x02 -> "authorization_failed";
            case 0x03, 0x04 -> "target_not_found";
            case 0x05 -> "unsupported_version";
            case 0x06 -> "too_many_connections";
            case 0x07 -> "missing_parameter";
            case 0x08, 0x0a -> "session_not_joinable";
            case 0x09 -> "session_type_not_supported";
            case 0x0b -> "invalid_request_during_login";
            default -> "initiator_error";
          };
      case 0x03 ->
          switch (statusDetail) {
            case 0x01 -> "service_unavailable";
            case 0x02 -> "out_of_resources";
            default -> "target_error";
          };
      default -> "other";
    };
  }
}
