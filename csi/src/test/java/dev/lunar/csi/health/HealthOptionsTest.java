package dev.lunar.csi.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthOptionsTest {

  @Test
  void addressesOfEitherFamilyWithThePortAfterTheLastColon() {
    assertThat(HealthOptions.address("10.1.2.3:9508"))
        .isEqualTo(new InetSocketAddress("10.1.2.3", 9508));
    assertThat(HealthOptions.address("[fd00::1]:9808"))
        .isEqualTo(new InetSocketAddress("fd00::1", 9808));
    // $(POD_IP):PORT with an IPv6 pod address has no brackets.
    assertThat(HealthOptions.address("fd00::1:9808"))
        .isEqualTo(new InetSocketAddress("fd00::1", 9808));
  }

  @Test
  void addressesWithoutAHostOrAUsablePortAreRefused() {
    assertThatThrownBy(() -> HealthOptions.address("9808")).hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> HealthOptions.address(":9808")).hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> HealthOptions.address("10.1.2.3:")).hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> HealthOptions.address("10.1.2.3:http"))
        .hasMessageContaining("no port number");
    assertThatThrownBy(() -> HealthOptions.address("10.1.2.3:70000"))
        .hasMessageContaining("out of range");
  }

  @Test
  void timeoutsInMillisecondsOrSecondsAndPositive() {
    assertThat(HealthOptions.timeout("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(HealthOptions.timeout("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(() -> HealthOptions.timeout("0s")).hasMessageContaining("positive");
    assertThatThrownBy(() -> HealthOptions.timeout("1m")).hasMessageContaining("500ms or 2s");
    assertThatThrownBy(() -> HealthOptions.timeout("-1s")).hasMessageContaining("500ms or 2s");
  }
}
