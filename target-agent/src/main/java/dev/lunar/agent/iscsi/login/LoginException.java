package dev.lunar.agent.iscsi.login;

/**
 * A login that must end with a non-success Login Response. Carries the status to send; the message
 * is for logs only and never contains a CHAP secret or response.
 */
public final class LoginException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int statusClass;
  private final int statusDetail;

  public LoginException(int statusClass, int statusDetail, String message) {
    super(message);
    this.statusClass = statusClass;
    this.statusDetail = statusDetail;
  }

  public int statusClass() {
    return statusClass;
  }

  public int statusDetail() {
    return statusDetail;
  }

  /** The 16-bit status value: class in the high byte, detail in the low. */
  public int status() {
    return statusClass << 8 | statusDetail;
  }

  @Override
  public String toString() {
    return String.format(
        "LoginException[status=0x%02x%02x, %s]", statusClass, statusDetail, getMessage());
  }
}
