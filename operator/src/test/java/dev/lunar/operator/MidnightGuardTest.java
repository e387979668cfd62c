package dev.lunar.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class MidnightGuardTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void startsAtOnceDuringTheDay() {
    assertThat(MidnightGuard.waitBefore(LocalTime.of(12, 0), TIMEOUT)).isZero();
    assertThat(MidnightGuard.waitBefore(LocalTime.of(23, 58, 29), TIMEOUT)).isZero();
  }

  @Test
  void waitsUntilJustAfterMidnightWhenTheDeadlineWouldWrap() {
    LocalTime now = LocalTime.of(23, 59, 30);
    Duration wait = MidnightGuard.waitBefore(now, TIMEOUT);
    assertThat(wait).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(32));
    LocalTime startedAt = now.plus(wait);
    assertThat(startedAt).isBefore(LocalTime.of(0, 0, 2));
    // The library's own check: a deadline computed then lies after the start, as it should.
    assertThat(startedAt.plus(TIMEOUT).plusSeconds(30)).isAfter(startedAt);
  }

  @Test
  void waitsWhenOnlyTheLaunchMarginWouldCrossMidnight() {
    assertThat(MidnightGuard.waitBefore(LocalTime.of(23, 58, 45), TIMEOUT))
        .isBetween(Duration.ofSeconds(75), Duration.ofSeconds(77));
  }
}
