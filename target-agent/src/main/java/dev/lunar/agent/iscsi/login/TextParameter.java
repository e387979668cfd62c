package dev.lunar.agent.iscsi.login;

import java.util.Objects;

/**
 * One {@code key=value} pair of a Login or Text data segment (RFC 7143 6.1). Values on the wire are
 * CHAP challenges and responses at most, never a CHAP secret, so printing them is safe.
 */
public record TextParameter(String key, String value) {

  public TextParameter {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
