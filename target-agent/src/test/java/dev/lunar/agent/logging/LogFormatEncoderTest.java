package dev.lunar.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogFormatEncoderTest {

  private final LoggerContext context = new LoggerContext();

  private String encode(String format) {
    return encode(format, Map.of(LogContext.TARGET, "iqn.t", LogContext.INITIATOR, "iqn.i"));
  }

  private String encode(String format, Map<String, String> mdc) {
    LogFormatEncoder encoder = new LogFormatEncoder();
    encoder.setContext(context);
    encoder.setFormat(format);
    encoder.start();
    return new String(encoder.encode(event("dev.lunar.test", mdc, null)), StandardCharsets.UTF_8);
  }

  private LoggingEvent event(String logger, Map<String, String> mdc, Throwable thrown) {
    LoggingEvent event =
        new LoggingEvent(
            "x",
            context.getLogger(logger),
            Level.INFO,
            "login by {}",
            thrown,
            new Object[] {"iqn.i"});
    event.setMDCPropertyMap(mdc);
    return event;
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
  void textShowsTheNexusOnlyWhenThereIsOneAndAnUnknownFormatFallsBackToIt() {
    String withNexus =
        encode(
            "text",
            Map.of(LogContext.TARGET, "iqn.t", LogContext.LUN, "1", LogContext.INITIATOR, "iqn.i"));
    String without = encode("text", Map.of());

    assertThat(withNexus)
        .matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) .*")
        .contains(" INFO  dev.lunar.test [")
        .contains("target=iqn.t")
        .contains("lun=1")
        .contains("initiator=iqn.i")
        .endsWith("] - login by iqn.i\n");
    assertThat(without).endsWith(" INFO  dev.lunar.test - login by iqn.i\n").doesNotContain("[");
    assertThat(encode("yaml", Map.of())).endsWith(" INFO  dev.lunar.test - login by iqn.i\n");
  }

  /**
   * The text line is logback's own line for {@link TextLine#PATTERN}, character for character:
   * tooling that parsed the agent's logs before keeps working.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "dev.lunar.test",
        "dev.lunar.agent.daemon.TgtdDaemon",
        "io.netty.channel.DefaultChannelPipeline",
        "dev.lunar.agent.iscsi.session.AVeryLongClassNameIndeed",
        "abcdefghij.klmnopqrs", // 20 characters
        "abcdefghij.klmnopqr", // 19
        "abcdefghij.klmnopqrst", // 21
        "aaaa.bbbb.cccc.dddd.Ee",
        "org.example.Name",
        "averyveryverylongsegmentname.X",
        "a..b.SomeLongerClassName",
        "NoDotsButLongerThanTwenty",
        "ROOT"
      })
  void textLinesAreLogbacksLinesForThePattern(String logger) {
    PatternLayout reference = new PatternLayout();
    reference.setContext(context);
    reference.setPattern(TextLine.PATTERN);
    reference.start();
    TextLine line = new TextLine();
    line.setContext(context);
    line.start();
    Map<String, String> nexus = new HashMap<>();
    nexus.put(LogContext.TARGET, "iqn.t");
    nexus.put(LogContext.LUN, "7");
    nexus.put(LogContext.INITIATOR, "iqn.i");
    Throwable thrown = new IllegalStateException("outer", new IOException("inner"));
    thrown.addSuppressed(new RuntimeException("aside"));

    for (Map<String, String> mdc : List.of(Map.<String, String>of(), nexus)) {
      for (Throwable t : Arrays.asList(null, thrown)) {
        LoggingEvent event = event(logger, mdc, t);
        assertThat(line.doLayout(event)).isEqualTo(reference.doLayout(event));
      }
    }
  }

  /** The time as logback's {@code %d} writes it, in zones with odd and negative offsets too. */
  @ParameterizedTest
  @ValueSource(
      strings = {"UTC", "Asia/Kolkata", "America/St_Johns", "Europe/Berlin", "Pacific/Kiritimati"})
  void timesAreWrittenAsTheDateConversionWritesThem(String zoneName) {
    ZoneId zone = ZoneId.of(zoneName);
    DateTimeFormatter reference =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(zone);
    for (long millis :
        new long[] {0, 1, 999, 1_780_000_000_123L, 1_796_000_000_050L, 1_800_000_000_007L}) {
      StringBuilder line = new StringBuilder();
      TextLine.appendTime(line, millis, zone.getRules());
      assertThat(line.toString()).isEqualTo(reference.format(Instant.ofEpochMilli(millis)));
    }
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
