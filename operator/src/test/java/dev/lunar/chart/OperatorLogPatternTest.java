package dev.lunar.chart;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/**
 * The operator image's text log lines (its logback.xml) name the object being reconciled, from the
 * MDC JOSDK fills, and stay plain outside a reconcile.
 */
class OperatorLogPatternTest {

  private final LoggerContext context = new LoggerContext();

  @Test
  void namespacedObjectShowsAsNamespaceSlashName() throws Exception {
    assertThat(line(Map.of("resource.namespace", "apps", "resource.name", "db")))
        .endsWith("INFO  [main] TargetReconciler [apps/db] - folded\n");
  }

  @Test
  void clusterScopedObjectShowsItsNameOnly() throws Exception {
    assertThat(line(Map.of("resource.namespace", "no namespace", "resource.name", "worker-1")))
        .endsWith("INFO  [main] TargetReconciler [worker-1] - folded\n");
    assertThat(line(Map.of("resource.name", "worker-1")))
        .endsWith("INFO  [main] TargetReconciler [worker-1] - folded\n");
  }

  @Test
  void outsideAReconcileTheLineHasNoBrackets() throws Exception {
    assertThat(line(Map.of())).endsWith("INFO  [main] TargetReconciler - folded\n");
  }

  private String line(Map<String, String> mdc) throws Exception {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(shippedTextPattern());
    encoder.start();
    LoggingEvent event =
        new LoggingEvent(
            "x",
            context.getLogger("dev.lunar.operator.reconcile.TargetReconciler"),
            Level.INFO,
            "folded",
            null,
            null);
    event.setThreadName("main");
    event.setMDCPropertyMap(mdc);
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  /** The text appender's pattern in the operator's logback.xml (main resources). */
  private static String shippedTextPattern() throws Exception {
    try (InputStream xml =
        Class.forName("dev.lunar.operator.OperatorMain").getResourceAsStream("/logback.xml")) {
      assertThat(xml).as("logback.xml on the classpath").isNotNull();
      var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml);
      return document.getElementsByTagName("pattern").item(0).getTextContent();
    }
  }
}
