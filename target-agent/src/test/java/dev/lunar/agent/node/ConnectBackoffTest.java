package dev.lunar.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectBackoffTest {

  @Test
  void theWaitStartsAtOneSecondDoublesAndStopsAtThirty() {
    assertThat(ConnectBackoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(ConnectBackoff.delay(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(ConnectBackoff.delay(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(ConnectBackoff.delay(6)).isEqualTo(Duration.ofSeconds(30));
    assertThat(ConnectBackoff.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> ConnectBackoff.delay(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLogLineNamesTheFailureAndItsCauses() {
    RuntimeException failure =
        new IllegalStateException(
            "get IscsiNode failed",
            new RuntimeException(new ConnectException("Connection refused")));

    assertThat(ConnectBackoff.describe(failure))
        .isEqualTo(
            "get IscsiNode failed (RuntimeException: java.net.ConnectException: Connection"
                + " refused, caused by ConnectException: Connection refused)");
    assertThat(ConnectBackoff.describe(new IllegalStateException("plain"))).isEqualTo("plain");
  }
}
