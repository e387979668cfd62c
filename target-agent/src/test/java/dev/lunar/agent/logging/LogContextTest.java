package dev.lunar.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {

  @Test
  void contextIsRestoredWhenTheWorkEnds() {
    MDC.clear();
    try (LogContext outer = LogContext.open("iqn.t", "iqn.i")) {
      try (LogContext inner = LogContext.open("iqn.t", "iqn.i", 3)) {
        assertThat(MDC.get(LogContext.LUN)).isEqualTo("3");
      }
      assertThat(MDC.get(LogContext.LUN)).isNull();
      assertThat(MDC.get(LogContext.TARGET)).isEqualTo("iqn.t");
    }
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  void enteringInsideAContextLastsOnlyUntilItCloses() {
    MDC.clear();
    try (LogContext connection = LogContext.open(null, null)) {
      LogContext.enter("iqn.t", "iqn.i");
      assertThat(MDC.get(LogContext.INITIATOR)).isEqualTo("iqn.i");
    }
    assertThat(MDC.get(LogContext.INITIATOR)).isNull();
  }
}
