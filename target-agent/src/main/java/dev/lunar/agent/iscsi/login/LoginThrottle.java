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
 * initiator name and from the same address wait longer (0, 1, 2, 4 ... seconds). The delay only
 * ever postpones an answer; it never refuses one, so a legitimate user who mistyped a secret gets
 * in as soon as the delay has passed.
 *
 * <p>The delay is capped below the login deadline (at half of it, {@link #maxDelay()}): a login the
 * connection guard closes before its answer was checked would be a refusal, and an attacker who
 * keeps failing from an address would then lock every user of that address out for as long as he
 * keeps at it. Half the deadline leaves the other half for the operational stage and round trips.
 *
 * <p>Failures are forgotten gradually: every {@link #DECAY} without a new failure halves the count,
 * and a success clears the name's count (not the address's, which other names share). The address
 * alone is tracked too, so rotating initiator names does not restart the schedule. Memory is
 * bounded: at most {@link #MAX_ENTRIES} entries, least recently touched dropped first. Thread-safe.
 */
public final class LoginThrottle {

  /** Quiet time after which one step of the schedule is forgiven. */
  public static final Duration DECAY = Duration.ofMinutes(1);

  static final int MAX_ENTRIES = 10_000;

  private static final Duration FIRST_DELAY = Duration.ofSeconds(1);

  private final Clock clock;
  private final Duration maxDelay;
  private final Duration maxAddressDelay;
  private final Map<String, Failures> failures =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  /**
   * A throttle whose delays stay below {@code loginDeadline}, the time a connection has from accept
   * to the full feature phase.
   */
  public LoginThrottle(Clock clock, Duration loginDeadline) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (!loginDeadline.isPositive()) {
      throw new IllegalArgumentException("login deadline must be positive: " + loginDeadline);
    }
    this.maxDelay = loginDeadline.dividedBy(2);
    // Weaker than the name-and-address key: an address is shared behind NAT, and one attacker
    // failing from it should cost the other users of that address a moment, not half their
    // deadline. The full schedule stays on the attacker's own name; an attacker who rotates names
    // to get only this delay is still held to one guess per connection per this delay, at most
    // ConnectionGuard's 64 connections per address: tens of guesses a second, hopeless against a
    // CHAP secret of the 12 or more random characters initiators require.
    this.maxAddressDelay = maxDelay.dividedBy(4);
  }

  /** A throttle on the system clock whose delays stay below {@code loginDeadline}. */
  public static LoginThrottle systemClock(Duration loginDeadline) {
    return new LoginThrottle(Clock.systemUTC(), loginDeadline);
  }

  /** The longest any attempt is made to wait: half the login deadline. */
  public Duration maxDelay() {
    return maxDelay;
  }

  /** The longest an attempt waits for failures of other initiator names at its address. */
  public Duration maxAddressDelay() {
    return maxAddressDelay;
  }

  /**
   * How long to hold an authentication attempt back before checking it: the longer of the delays
   * earned by this initiator name at this address (up to {@link #maxDelay()}) and by the address
   * alone (up to {@link #maxAddressDelay()}).
   */
  public synchronized Duration delayFor(String initiatorName, InetAddress address) {
    Instant now = clock.instant();
    Duration own = capped(delayAfter(count(pairKey(initiatorName, address), now)), maxDelay);
    Duration shared = capped(delayAfter(count(addressKey(address), now)), maxAddressDelay);
    return own.compareTo(shared) >= 0 ? own : shared;
  }

  /** Records a failed authentication. */
  public synchronized void failed(String initiatorName, InetAddress address) {
    Instant now = clock.instant();
    record(pairKey(initiatorName, address), now);
    record(addressKey(address), now);
  }

  /**
   * Records a successful authentication: this name at this address starts afresh. The address alone
   * keeps its failures until they decay: other names may have failed from it (a user behind the
   * same NAT as an attacker must not clear the attacker's schedule), and its delay is small.
   */
  public synchronized void succeeded(String initiatorName, InetAddress address) {
    failures.remove(pairKey(initiatorName, address));
  }

  /** The delay the schedule gives after {@code count} recent failures, before any cap. */
  static Duration delayAfter(int count) {
    if (count <= 0) {
      return Duration.ZERO;
    }
    return FIRST_DELAY.multipliedBy(1L << Math.min(count - 1, 16));
  }

  private static Duration capped(Duration delay, Duration cap) {
    return delay.compareTo(cap) > 0 ? cap : delay;
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
    // Eight failures already earn 128 s, past any cap; keep the count small so decay stays quick.
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
