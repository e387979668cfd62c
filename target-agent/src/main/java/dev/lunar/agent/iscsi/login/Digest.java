package dev.lunar.agent.iscsi.login;

import java.util.Optional;

/** Values of the HeaderDigest and DataDigest keys (RFC 7143 13.1). */
public enum Digest {
  NONE("None"),
  CRC32C("CRC32C");

  private final String wireName;

  Digest(String wireName) {
    this.wireName = wireName;
  }

  /** The key value as spelled on the wire. */
  public String wireName() {
    return wireName;
  }

  /** The digest named {@code value} (case-sensitive as the RFC spells it), if we know it. */
  public static Optional<Digest> fromWire(String value) {
    for (Digest d : values()) {
      if (d.wireName.equals(value)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
