package dev.lunar.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.ErrorStatus;
import ch.qos.logback.core.status.InfoStatus;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.status.WarnStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatusWarningsTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final LoggerContext context = new LoggerContext();

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void warningsAndErrorsArePrintedWhenTheyHappenAndInfoIsNot() {
    StatusWarnings.register(context, out);
    context.getStatusManager().add(new InfoStatus("appender STDERR started", this));
    context.getStatusManager().add(new WarnStatus("no encoder for appender X", this));
    context
        .getStatusManager()
        .add(new ErrorStatus("cannot open the log", this, new IOException("disk full")));

    assertThat(printed())
        .doesNotContain("appender STDERR started")
        .contains("logback WARN: no encoder for appender X")
        .contains("logback ERROR: cannot open the log")
        .contains("java.io.IOException: disk full");
  }

  @Test
  void warningsFromBeforeTheListenerArePrintedOnceWhenItIsRegistered() {
    context.getStatusManager().add(new WarnStatus("early warning", this));
    context.getStatusManager().add(new InfoStatus("early info", this));

    StatusWarnings.register(context, out);

    assertThat(printed()).isEqualTo("logback WARN: early warning" + System.lineSeparator());
  }

  @Test
  void theConfiguratorRegistersItSoLogbackSkipsItsOwnStatusPrinter() {
    new LogConfigurator().configure(context);

    // What logback checks after configuring before it falls back to StatusPrinter.
    assertThat(StatusUtil.contextHasStatusListener(context)).isTrue();
  }
}
