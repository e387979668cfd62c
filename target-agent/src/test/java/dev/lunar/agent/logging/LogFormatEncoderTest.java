package dev.lunar.agent.logging;

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
    return encode(
        format, "%level %msg%n", Map.of(LogContext.TARGET, "iqn.t", LogContext.INITIATOR, "iqn.i"));
  }

  private String encode(String format, String pattern, Map<String, String> mdc) {
    LogFormatEncoder encoder = new LogFormatEncoder();
    encoder.setContext(context);
    encoder.setFormat(format);
    encoder.setPattern(pattern);
    encoder.start();
    LoggingEvent event =
        new LoggingEvent(
            "x",
            context.getLogger("dev.lunar.test"),
            Level.INFO,
            "login by {}",
            null,
            new Object[] {"iqn.i"});
    event.setMDCPropertyMap(mdc);
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

  @Test
  void shippedTextPatternShowsTheNexusOnlyWhenThereIsOne() {
    String pattern = shippedTextPattern();
    String withNexus =
        encode(
            "text",
            pattern,
            Map.of(LogContext.TARGET, "iqn.t", LogContext.LUN, "1", LogContext.INITIATOR, "iqn.i"));
    String without = encode("text", pattern, Map.of());

    assertThat(withNexus)
        .contains("INFO  dev.lunar.test [")
        .contains("target=iqn.t")
        .contains("lun=1")
        .contains("initiator=iqn.i")
        .endsWith("] - login by iqn.i\n");
    assertThat(without).endsWith("INFO  dev.lunar.test - login by iqn.i\n").doesNotContain("[");
  }

  /** The text pattern the agent configures ({@link LogConfigurator}). */
  private static String shippedTextPattern() {
    return LogConfigurator.PATTERN;
  }

  @Test
  void theConfiguratorLogsToStderrWithLunarsLevels() {
    LoggerContext fresh = new LoggerContext();
    System.setProperty("LUNAR_LOG_LEVEL", "debug");
    try {
      LogConfigurator configurator = new LogConfigurator();
      configurator.setContext(fresh);
      assertThat(configurator.configure(fresh))
          .isEqualTo(
              ch.qos.logback.classic.spi.Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    } finally {
      System.clearProperty("LUNAR_LOG_LEVEL");
    }
    var root = fresh.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    var stderr = (ch.qos.logback.core.ConsoleAppender<?>) root.getAppender("STDERR");
    assertThat(stderr.getTarget()).isEqualTo("System.err");
    assertThat(stderr.getEncoder()).isInstanceOf(LogFormatEncoder.class);
    assertThat(fresh.getLogger("dev.lunar").getLevel()).isEqualTo(Level.DEBUG);
    assertThat(fresh.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    fresh.stop();
  }

  @Test
  void aConfigurationFileNamedOnTheCommandLineWins() {
    LoggerContext fresh = new LoggerContext();
    System.setProperty("logback.configurationFile", "elsewhere.xml");
    try {
      LogConfigurator configurator = new LogConfigurator();
      configurator.setContext(fresh);
      assertThat(configurator.configure(fresh))
          .isEqualTo(ch.qos.logback.classic.spi.Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
      assertThat(fresh.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
    } finally {
      System.clearProperty("logback.configurationFile");
    }
  }
}
