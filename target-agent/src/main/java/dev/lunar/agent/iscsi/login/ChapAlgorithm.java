package dev.lunar.agent.iscsi.login;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * CHAP hash algorithms by their IANA PPP "CHAP algorithm" number, the value of CHAP_A (RFC 7143
 * 12.1.3, RFC 1994): 5 MD5, 6 SHA-1, 7 SHA-256, 8 SHA3-256.
 */
public enum ChapAlgorithm {
  MD5(5, "MD5", 16),
  SHA1(6, "SHA-1", 20),
  SHA256(7, "SHA-256", 32),
  SHA3_256(8, "SHA3-256", 32);

  private final int code;
  private final String jcaName;
  private final int digestLength;

  ChapAlgorithm(int code, String jcaName, int digestLength) {
    this.code = code;
    this.jcaName = jcaName;
    this.digestLength = digestLength;
  }

  /** The CHAP_A value. */
  public int code() {
    return code;
  }

  /** Length of a CHAP_R in bytes. */
  public int digestLength() {
    return digestLength;
  }

  /** The algorithm with CHAP_A value {@code code}, if supported. */
  public static Optional<ChapAlgorithm> fromCode(long code) {
    for (ChapAlgorithm a : values()) {
      if (a.code == code) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** The CHAP response: H(identifier || secret || challenge) (RFC 1994 4.1). */
  public byte[] response(int identifier, byte[] secret, byte[] challenge) {
    MessageDigest digest = newDigest();
    digest.update((byte) identifier);
    digest.update(secret);
    digest.update(challenge);
    return digest.digest();
  }

  private MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance(jcaName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + jcaName, e);
    }
  }
}
