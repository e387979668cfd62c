package dev.lunar.agent.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.iscsi.session.ConnectionGuard;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  private static final InetAddress ATTACKER = InetAddress.ofLiteral("192.0.2.66");
  private static final InetAddress OTHER_HOST = InetAddress.ofLiteral("192.0.2.7");
  private static final String NAME = "iqn.2026-11.dev.lunar:host";

  private final MutableClock clock = new MutableClock();
  private static final Duration DEADLINE = ConnectionGuard.DEFAULT_LOGIN_DEADLINE;
  private final LoginThrottle throttle = new LoginThrottle(clock, DEADLINE);

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
            DEADLINE.dividedBy(2),
            DEADLINE.dividedBy(2),
            DEADLINE.dividedBy(2),
            DEADLINE.dividedBy(2),
            DEADLINE.dividedBy(2));
  }

  @Test
  void theDelayStaysBelowHalfTheLoginDeadlineWhateverTheDeadline() {
    for (Duration deadline :
        List.of(Duration.ofSeconds(1), DEADLINE, Duration.ofSeconds(45), Duration.ofMinutes(10))) {
      LoginThrottle t = new LoginThrottle(clock, deadline);
      for (int i = 0; i < 100; i++) {
        t.failed(NAME, ATTACKER);
      }
      Duration delay = t.delayFor(NAME, ATTACKER);
      assertThat(delay).as("after 100 failures, deadline %s", deadline).isPositive();
      assertThat(delay.multipliedBy(2)).isLessThanOrEqualTo(deadline);
      assertThat(t.maxDelay()).isEqualTo(deadline.dividedBy(2));
      assertThat(t.maxAddressDelay()).isLessThan(t.maxDelay());
    }
  }

  @Test
  void rotatingInitiatorNamesFromOneAddressStillGrowsTheDelayUpToTheAddressCap() {
    throttle.failed("iqn.2026-11.dev.lunar:guess0", ATTACKER);
    assertThat(throttle.delayFor("iqn.2026-11.dev.lunar:fresh", ATTACKER))
        .isEqualTo(Duration.ofSeconds(1));
    for (int i = 1; i < 20; i++) {
      throttle.failed("iqn.2026-11.dev.lunar:guess" + i, ATTACKER);
    }
    assertThat(throttle.delayFor("iqn.2026-11.dev.lunar:fresh", ATTACKER))
        .isEqualTo(throttle.maxAddressDelay());
  }

  /**
   * Behind NAT an attacker and a user share an address: the user's own name is delayed only by the
   * address's weaker cap, the attacker's name by the full one.
   */
  @Test
  void anotherNameAtAnAttackedAddressWaitsLessThanTheAttackersName() {
    for (int i = 0; i < 20; i++) {
      throttle.failed(NAME, ATTACKER);
    }
    assertThat(throttle.delayFor(NAME, ATTACKER)).isEqualTo(throttle.maxDelay());
    assertThat(throttle.delayFor("iqn.2026-11.dev.lunar:user", ATTACKER))
        .isEqualTo(throttle.maxAddressDelay());
  }

  @Test
  void anotherNamesSuccessAtTheAddressDoesNotClearTheAttackersSchedules() {
    for (int i = 0; i < 20; i++) {
      throttle.failed(NAME, ATTACKER);
    }
    throttle.succeeded("iqn.2026-11.dev.lunar:user", ATTACKER);
    assertThat(throttle.delayFor(NAME, ATTACKER)).isEqualTo(throttle.maxDelay());
    assertThat(throttle.delayFor("iqn.2026-11.dev.lunar:other", ATTACKER))
        .isEqualTo(throttle.maxAddressDelay());
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
    assertThat(throttle.delayFor(NAME, ATTACKER)).isEqualTo(throttle.maxDelay());
    clock.advance(LoginThrottle.DECAY.multipliedBy(2));
    assertThat(throttle.delayFor(NAME, ATTACKER)).isEqualTo(Duration.ofSeconds(2));
    clock.advance(LoginThrottle.DECAY.multipliedBy(2));
    assertThat(throttle.delayFor(NAME, ATTACKER)).isZero();
  }

  @Test
  void successClearsTheNamesScheduleSoALegitimateUserIsNeverLockedOut() {
    for (int i = 0; i < 100; i++) {
      throttle.failed(NAME, ATTACKER);
    }
    assertThat(throttle.delayFor(NAME, ATTACKER)).isLessThan(DEADLINE);
    throttle.succeeded(NAME, ATTACKER);
    assertThat(throttle.delayFor(NAME, ATTACKER))
        .as("only the address's small delay remains until it decays")
        .isEqualTo(throttle.maxAddressDelay());
    clock.advance(LoginThrottle.DECAY.multipliedBy(4));
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
