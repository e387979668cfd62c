package dev.lunar.agent.iscsi.login;

import java.security.SecureRandom;

/** A predictable SecureRandom for tests: bytes count up from a seed. */
final class FixedRandom extends SecureRandom {

  private static final long serialVersionUID = 1L;

  private int next;

  FixedRandom(int seed) {
    this.next = seed;
  }

  @Override
  public void nextBytes(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) next++;
    }
  }
}
