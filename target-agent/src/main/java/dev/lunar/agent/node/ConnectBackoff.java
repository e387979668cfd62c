package dev.lunar.agent.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The wait between attempts to reach the API server: 1 s, doubling, at most 30 s. The agent keeps
 * trying for as long as it runs (the target serves meanwhile), so the cap keeps a long outage from
 * delaying the catch-up by more than half a minute, and the doubling keeps a dead API server from
 * being hammered by every node at once.
 */
final class ConnectBackoff {

  static final Duration FIRST = Duration.ofSeconds(1);
  static final Duration MAX = Duration.ofSeconds(30);

  private ConnectBackoff() {}

  /** The wait after failed attempt {@code attempt} (1-based). */
  static Duration delay(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1, got " + attempt);
    }
    int doublings = Math.min(attempt - 1, 5);
    Duration delay = FIRST.multipliedBy(1L << doublings);
    return delay.compareTo(MAX) > 0 ? MAX : delay;
  }

  /**
   * What went wrong, for a log line: the failure and its causes (the client wraps "connection
   * refused" several levels deep, sometimes in exceptions without a message). Messages and class
   * names only, never the request or the client's configuration.
   */
  static String describe(Throwable failure) {
    List<String> causes = new ArrayList<>();
    Throwable cause = failure.getCause();
    while (cause != null && causes.size() < 4) {
      String name = cause.getClass().getSimpleName();
      causes.add(cause.getMessage() == null ? name : name + ": " + cause.getMessage().strip());
      cause = cause.getCause() == cause ? null : cause.getCause();
    }
    String first = String.valueOf(failure.getMessage()).strip();
    return causes.isEmpty() ? first : first + " (" + String.join(", caused by ", causes) + ")";
  }
}
