package dev.lunar.csi.node;

import java.util.Map;
import java.util.Optional;

/**
 * The CHAP credentials of one volume, from NodeStageVolume's secrets: the name and secret this
 * initiator proves itself with, and for mutual CHAP the target's. {@link #toString()} shows the
 * names only, so that a stray log line cannot carry a secret.
 */
public record ChapCredentials(
    String username, String password, String usernameIn, String passwordIn) {

  /** The keys the controller's generated Secret uses. */
  static final String USERNAME = "username";

  static final String PASSWORD = "password";
  static final String USERNAME_IN = "usernameIn";
  static final String PASSWORD_IN = "passwordIn";

  /** The keys of Kubernetes' in-tree iSCSI plugin, which existing CHAP Secrets use. */
  static final String NODE_USERNAME = "node.session.auth.username";

  static final String NODE_PASSWORD = "node.session.auth.password";
  static final String NODE_USERNAME_IN = "node.session.auth.username_in";
  static final String NODE_PASSWORD_IN = "node.session.auth.password_in";

  /**
   * The credentials in {@code secrets}, or none when the volume has no CHAP.
   *
   * @throws IllegalArgumentException when a name comes without its secret or the other way round
   *     (the message names keys, never values)
   */
  public static Optional<ChapCredentials> fromSecrets(Map<String, String> secrets) {
    String username = first(secrets, USERNAME, NODE_USERNAME);
    String password = first(secrets, PASSWORD, NODE_PASSWORD);
    String usernameIn = first(secrets, USERNAME_IN, NODE_USERNAME_IN);
    String passwordIn = first(secrets, PASSWORD_IN, NODE_PASSWORD_IN);
    if (username == null && password == null) {
      if (usernameIn != null || passwordIn != null) {
        throw new IllegalArgumentException(
            "the stage secrets have the target's CHAP credentials (usernameIn, passwordIn) but not"
                + " the initiator's (username, password), which mutual CHAP needs too");
      }
      return Optional.empty();
    }
    if (username == null || password == null) {
      throw new IllegalArgumentException(
          "the stage secrets need both a CHAP username and a password (keys username and password,"
              + " or node.session.auth.username and node.session.auth.password)");
    }
    if ((usernameIn == null) != (passwordIn == null)) {
      throw new IllegalArgumentException(
          "the stage secrets need both usernameIn and passwordIn for mutual CHAP, or neither");
    }
    return Optional.of(new ChapCredentials(username, password, usernameIn, passwordIn));
  }

  private static String first(Map<String, String> secrets, String key, String alias) {
    String value = secrets.get(key);
    if (value == null || value.isEmpty()) {
      value = secrets.get(alias);
    }
    return value == null || value.isEmpty() ? null : value;
  }

  /** Whether the initiator also checks the target (mutual CHAP). */
  public boolean mutual() {
    return usernameIn != null;
  }

  @Override
  public String toString() {
    return "ChapCredentials[username="
        + username
        + ", password=***"
        + (mutual() ? ", usernameIn=" + usernameIn + ", passwordIn=***]" : "]");
  }
}
