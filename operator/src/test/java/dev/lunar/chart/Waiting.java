package dev.lunar.chart;

import java.time.Duration;

/** Sleeping in polling loops, with interruption turned into a test failure. */
final class Waiting {

  private Waiting() {}

  static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }
}
