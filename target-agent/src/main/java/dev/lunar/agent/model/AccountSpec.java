package dev.lunar.agent.model;

/**
 * A CHAP account. The password is a secret: never logged, printed or reported; {@link #toString}
 * hides it.
 */
public record AccountSpec(String user, String password) {

  @Override
  public String toString() {
    return "AccountSpec[user=" + user + ", password=***]";
  }
}
