package dev.lunar.agent.iscsi.login;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Slows CHAP guessing down: each failed authentication makes the next attempts from the same
 * initiator name and from the same address wait longer (0, 1, 2, 4 ... seconds, capped at {@link
 * #MAX_DELAY}). The delay only ever postpones an answer; it never refuses one, so a legitimate user
 * who mistyped a secret gets in as soon as the delay has passed.
 *
 * <p>Failures are forgotten gradually: every {@link #DECAY} without a new failure halves the count,
 * and a success clears it. The address alone is tracked too, so rotating initiator names does not
 * restart the schedule. Memory is bounded: at most {@link #MAX_ENTRIES} entries, least recently
 * touched dropped first. Thread-safe.
 */
public final class LoginThrottle {

  /** The longest any attempt is made to wait. */
  public static final Duration MAX_DELAY = Duration.ofSeconds(30);

  /** Quiet time after which one step of the schedule is forgiven. */
  public static final Duration DECAY = Duration.ofMinutes(1);

  static final int MAX_ENTRIES = 10_000;

  private static final Duration FIRST_DELAY = Duration.ofSeconds(1);

  private final Clock clock;
  private final Map<String, Failures> failures =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  public LoginThrottle(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A throttle on the system clock. */
  public static LoginThrottle systemClock() {
    return new LoginThrottle(Clock.systemUTC());
  }

  /**
   * How long to hold an authentication attempt back before checking it: the longer of the delays
   * earned by this initiator name at this address and by the address alone.
   */
  public synchronized Duration delayFor(String initiatorName, InetAddress address) {
    Instant now = clock.instant();
    int count =
        Math.max(count(pairKey(initiatorName, address), now), count(addressKey(address), now));
    return delayAfter(count);
  }

  /** Records a failed authentication. */
  public synchronized void failed(String initiatorName, InetAddress address) {
    Instant now = clock.instant();
    record(pairKey(initiatorName, address), now);
    record(addressKey(address), now);
  }

  /** Records a successful authentication: this name and address start afresh. */
  public synchronized void succeeded(String initiatorName, InetAddress address) {
    failures.remove(pairKey(initiatorName, address));
    failures.remove(addressKey(address));
  }

  /** The delay the schedule gives after {@code count} recent failures. */
  static Duration delayAfter(int count) {
    if (count <= 0) {
      return Duration.ZERO;
    }
    int doublings = Math.min(count - 1, 16);
    Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
    return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
  }

  synchronized int entries() {
    return failures.size();
  }

  private int count(String key, Instant now) {
    Failures f = failures.get(key);
    return f == null ? 0 : f.decayed(now);
  }

  private void record(String key, Instant now) {
    Failures f = failures.get(key);
    int count = f == null ? 0 : f.decayed(now);
    // Past the cap more failures change nothing; keep the count small so decay stays quick.
    failures.put(key, new Failures(Math.min(count + 1, 8), now));
  }

  private static String pairKey(String initiatorName, InetAddress address) {
    return address.getHostAddress() + " " + (initiatorName == null ? "" : initiatorName);
  }

  private static String addressKey(InetAddress address) {
    return address.getHostAddress();
  }

  /** A failure count as of the last failure. */
  private record Failures(int count, Instant last) {
    int decayed(Instant now) {
      long quietPeriods = Duration.between(last, now).dividedBy(DECAY);
      return quietPeriods >= 31 ? 0 : count >> (int) Math.max(0, quietPeriods);
    }
  }
}
