package dev.lunar.operator.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiNode;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class NodeHealthTest {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final IscsiNode NODE = new IscsiNode();

  @Test
  void aNodeWithoutIscsiNodeIsUnavailableBecauseNoAgentRegistered() {
    NodeHealth health = NodeHealth.of("w1", null, lease(0), NOW);
    assertThat(health.available()).isFalse();
    assertThat(health.message()).contains("no agent has registered node w1");
  }

  @Test
  void aNodeWithoutLeaseIsUnavailable() {
    assertThat(NodeHealth.of("w1", NODE, null, NOW).message()).contains("no heartbeat");
  }

  @Test
  void aFreshHeartbeatIsValidForTheRestOfItsDuration() {
    NodeHealth health = NodeHealth.of("w1", NODE, lease(15), NOW);
    assertThat(health.available()).isTrue();
    assertThat(health.validFor()).isEqualTo(Duration.ofSeconds(25));
  }

  @Test
  void aHeartbeatOlderThanItsDurationMakesTheNodeUnavailable() {
    NodeHealth health = NodeHealth.of("w1", NODE, lease(41), NOW);
    assertThat(health.available()).isFalse();
    assertThat(health.message()).contains("last renewed its heartbeat 41 s ago");
  }

  @Test
  void aClockAheadOfOursDoesNotExtendValidity() {
    assertThat(NodeHealth.of("w1", NODE, lease(-5), NOW).validFor())
        .isEqualTo(Duration.ofSeconds(40));
  }

  private static Lease lease(int ageSeconds) {
    return new LeaseBuilder()
        .withNewSpec()
        .withLeaseDurationSeconds(40)
        .withRenewTime(NOW.minusSeconds(ageSeconds).atZone(ZoneOffset.UTC))
        .endSpec()
        .build();
  }
}
