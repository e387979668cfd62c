package dev.lunar.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IscsiStatsTest {

  private static final String TARGET = "iqn.2026-01.dev.lunar:disk";

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final IscsiStats stats = new IscsiStats(registry, false);

  @Test
  void loginsAreCountedByResultAndReason() {
    stats.login(TARGET, "iqn.init", true, LoginReasons.NONE);
    stats.login(TARGET, "iqn.init", false, LoginReasons.of(0x02, 0x01));
    stats.login(TARGET, "iqn.init", false, LoginReasons.of(0x02, 0x01));
    assertThat(
            registry
                .get(MetricNames.LOGINS)
                .tags("result", "failure", "reason", "authentication_failed")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(registry.get(MetricNames.LOGINS).tags("result", "success").counter().count())
        .isEqualTo(1);
    assertThat(registry.get(MetricNames.LOGINS).counter().getId().getTag("initiator")).isNull();
  }

  @Test
  void initiatorTagOnlyWhenOptedIn() {
    new IscsiStats(registry, true).login(TARGET, null, false, "authorization_failed");
    assertThat(registry.get(MetricNames.LOGINS).counter().getId().getTag("initiator"))
        .isEqualTo(IscsiStats.UNKNOWN);
  }

  @Test
  void loginStatusesMapToABoundedVocabulary() {
    assertThat(LoginReasons.of(0x02, 0x02)).isEqualTo("authorization_failed");
    assertThat(LoginReasons.of(0x02, 0x03)).isEqualTo("target_not_found");
    assertThat(LoginReasons.of(0x02, 0x7f)).isEqualTo("initiator_error");
    assertThat(LoginReasons.of(0x03, 0x02)).isEqualTo("out_of_resources");
    assertThat(LoginReasons.of(0x44, 0x00)).isEqualTo("other");
  }

  @Test
  void pduCountersAreTaggedByTargetAndDiscoveryHasItsOwnTag() {
    stats.r2t(TARGET);
    stats.r2t(TARGET);
    stats.dataOut(TARGET);
    stats.digestError(null, true);
    stats.taskManagement(TARGET, 5);
    assertThat(registry.get(MetricNames.R2T).tag("target", TARGET).counter().count()).isEqualTo(2);
    assertThat(registry.get(MetricNames.DATA_OUT).counter().count()).isEqualTo(1);
    assertThat(
            registry
                .get(MetricNames.DIGEST_ERRORS)
                .tags("target", IscsiStats.DISCOVERY, "kind", "header")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(MetricNames.TASK_MANAGEMENT)
                .tag("function", "logical_unit_reset")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void gaugesReadTheLiveCountsAndRegisteringTwiceKeepsTheFirst() {
    AtomicInteger sessions = new AtomicInteger(1);
    stats.trackTarget(TARGET, sessions::get, () -> 2);
    stats.trackTarget(TARGET, () -> 99, () -> 99);
    assertThat(registry.get(MetricNames.SESSIONS).gauge().value()).isEqualTo(1);
    sessions.set(0);
    assertThat(registry.get(MetricNames.SESSIONS).gauge().value()).isZero();
    assertThat(registry.get(MetricNames.CONNECTIONS).gauge().value()).isEqualTo(2);
  }

  @Test
  void aRemovedTargetTakesItsMetersAlongButDiscoveryAndUnknownStay() {
    String other = "iqn.2026-01.dev.lunar:other";
    stats.trackTarget(TARGET, () -> 1, () -> 1);
    stats.trackTarget(other, () -> 1, () -> 1);
    stats.r2t(other);
    stats.login(other, "i", true, LoginReasons.NONE);
    stats.login(IscsiStats.UNKNOWN, "i", false, "target_not_found");
    stats.dataOut(null);
    stats.retainTargets(Set.of(TARGET));
    assertThat(registry.getMeters())
        .extracting(m -> m.getId().getTag("target"))
        .doesNotContain(other)
        .contains(TARGET, IscsiStats.UNKNOWN, IscsiStats.DISCOVERY);
    stats.r2t(other); // a target coming back starts from zero
    assertThat(registry.get(MetricNames.R2T).tag("target", other).counter().count()).isEqualTo(1);
  }
}
