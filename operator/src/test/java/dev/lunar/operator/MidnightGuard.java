package dev.lunar.operator;

import java.time.Duration;
import java.time.LocalTime;

/**
 * Keeps an API server start clear of local midnight. kube-api-test (7.5.2) measures its startup
 * deadline with {@link LocalTime}, which wraps at midnight: a start a minute before midnight has a
 * deadline of "00:00:30", every time before midnight is after that, and the first poll that finds
 * etcd or the API server not yet ready fails with "did not start properly". CI lost a run to it:
 * every API-server test started in the last minute of the day failed within a second.
 */
final class MidnightGuard {

  /** Etcd's start and the API server's launch come before the API server's own deadline. */
  private static final Duration LAUNCH_MARGIN = Duration.ofSeconds(30);

  private MidnightGuard() {}

  /**
   * How long to wait before a start at {@code now} whose deadline is {@code timeout} away, so that
   * no deadline the library computes wraps: zero, or until just after midnight.
   */
  static Duration waitBefore(LocalTime now, Duration timeout) {
    Duration untilMidnight = Duration.ofNanos(LocalTime.MAX.toNanoOfDay() - now.toNanoOfDay() + 1);
    if (untilMidnight.compareTo(timeout.plus(LAUNCH_MARGIN)) > 0) {
      return Duration.ZERO;
    }
    return untilMidnight.plusSeconds(1);
  }

  /** Sleeps through {@link #waitBefore} for the clock of now, saying why when it waits. */
  static void awaitSafeStart(Duration timeout) {
    Duration wait = waitBefore(LocalTime.now(), timeout);
    if (wait.isZero()) {
      return;
    }
    System.err.printf(
        "RealApiServer: waiting %d s for midnight to pass (kube-api-test's deadline wraps at"
            + " midnight)%n",
        wait.toSeconds());
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for midnight to pass", e);
    }
  }
}
