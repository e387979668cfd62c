package dev.lunar.agent.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  private static final InetAddress ATTACKER = InetAddress.ofLiteral("192.0.2.66");
  private static final InetAddress OTHER_HOST = InetAddress.ofLiteral("192.0.2.7");
  private static final String NAME = "iqn.2026-11.dev.lunar:host";

  private final MutableClock clock = new MutableClock();
  private final LoginThrottle throttle = new LoginThrottle(clock);

  @Test
  void firstAttemptIsNotDelayed() {
    assertThat(throttle.delayFor(NAME, ATTACKER)).isZero();
  }

  @Test
  void delayDoublesWithEachFailureUpToTheCap() {
    Duration[] seen = new Duration[8];
    for (int i = 0; i < seen.length; i++) {
      throttle.failed(NAME, ATTACKER);
      seen[i] = throttle.delayFor(NAME, ATTACKER);
    }
    assertThat(seen)
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(16),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30));
  }

  @Test
  void rotatingInitiatorNamesFromOneAddressStillGrowsTheDelay() {
    for (int i = 0; i < 4; i++) {
      throttle.failed("iqn.2026-11.dev.lunar:guess" + i, ATTACKER);
    }
    assertThat(throttle.delayFor("iqn.2026-11.dev.lunar:fresh", ATTACKER))
        .isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void otherAddressesAreNotSlowedDown() {
    for (int i = 0; i < 10; i++) {
      throttle.failed(NAME, ATTACKER);
    }
    assertThat(throttle.delayFor(NAME, OTHER_HOST)).isZero();
  }

  @Test
  void quietPeriodsForgiveFailuresStepByStepUntilNoneRemain() {
    for (int i = 0; i < 20; i++) {
      throttle.failed(NAME, ATTACKER);
    }
    assertThat(throttle.delayFor(NAME, ATTACKER)).isEqualTo(LoginThrottle.MAX_DELAY);
    clock.advance(LoginThrottle.DECAY);
    assertThat(throttle.delayFor(NAME, ATTACKER)).isEqualTo(Duration.ofSeconds(8));
    clock.advance(LoginThrottle.DECAY.multipliedBy(3));
    assertThat(throttle.delayFor(NAME, ATTACKER)).isZero();
  }

  @Test
  void successClearsTheScheduleSoALegitimateUserIsNeverLockedOut() {
    for (int i = 0; i < 100; i++) {
      throttle.failed(NAME, ATTACKER);
    }
    assertThat(throttle.delayFor(NAME, ATTACKER)).isLessThanOrEqualTo(LoginThrottle.MAX_DELAY);
    throttle.succeeded(NAME, ATTACKER);
    assertThat(throttle.delayFor(NAME, ATTACKER)).isZero();
  }

  @Test
  void memoryStaysBoundedUnderAnAddressSweep() {
    for (int i = 0; i < LoginThrottle.MAX_ENTRIES * 2; i++) {
      InetAddress a = InetAddress.ofLiteral("2001:db8::" + Integer.toHexString(i));
      throttle.failed(NAME, a);
    }
    assertThat(throttle.entries()).isLessThanOrEqualTo(LoginThrottle.MAX_ENTRIES);
  }

  /** A clock the test moves by hand. */
  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-11-23T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
