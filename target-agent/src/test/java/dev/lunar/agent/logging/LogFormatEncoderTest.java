package dev.lunar.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
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
  void shippedTextPatternShowsTheNexusOnlyWhenThereIsOne() throws Exception {
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

  /** The text pattern of the logback.xml the agent ships (main resources). */
  private static String shippedTextPattern() throws Exception {
    try (InputStream xml = LogFormatEncoder.class.getResourceAsStream("/logback.xml")) {
      assertThat(xml).as("logback.xml on the classpath").isNotNull();
      var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml);
      return document.getElementsByTagName("pattern").item(0).getTextContent();
    }
  }
}
