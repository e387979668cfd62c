package dev.lunar.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFormatEncoderTest {

  private final LoggerContext context = new LoggerContext();

  private String encode(String format) {
    LogFormatEncoder encoder = new LogFormatEncoder();
    encoder.setContext(context);
    encoder.setFormat(format);
    encoder.setPattern("%level %msg%n");
    encoder.start();
    LoggingEvent event =
        new LoggingEvent(
            "x",
            context.getLogger("dev.lunar.test"),
            Level.INFO,
            "login by {}",
            null,
            new Object[] {"iqn.i"});
    event.setMDCPropertyMap(Map.of(LogContext.TARGET, "iqn.t", LogContext.INITIATOR, "iqn.i"));
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void jsonLinesCarryTheFormattedMessageAndTheNexus() {
    String line = encode("JSON");
    assertThat(line)
        .startsWith("{")
        .endsWith("}\n")
        .contains("\"level\":\"INFO\"")
        .contains("\"formattedMessage\":\"login by iqn.i\"")
        .contains("\"target\":\"iqn.t\"")
        .contains("\"initiator\":\"iqn.i\"");
  }

  @Test
  void textUsesThePatternAndAnUnknownFormatFallsBackToIt() {
    assertThat(encode("text")).isEqualTo("INFO login by iqn.i\n");
    assertThat(encode("yaml")).isEqualTo("INFO login by iqn.i\n");
  }
}
