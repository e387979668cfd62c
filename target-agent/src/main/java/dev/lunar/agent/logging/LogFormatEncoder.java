package dev.lunar.agent.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.Locale;

/**
 * The log encoder {@link LogConfigurator} sets up: human-readable lines ({@code text}, {@link
 * TextLine}) or one JSON object per line ({@code json}), chosen by {@code LUNAR_LOG_FORMAT}. One
 * encoder with a switch rather than two appenders, so an unknown format falls back to text with a
 * one-line warning instead of silencing the log.
 */
public final class LogFormatEncoder extends EncoderBase<ILoggingEvent> {

  private String format = "text";
  private Encoder<ILoggingEvent> delegate;

  /** {@code text} or {@code json}, case-insensitive. */
  public void setFormat(String format) {
    this.format = format;
  }

  @Override
  public void start() {
    delegate =
        switch (format.trim().toLowerCase(Locale.ROOT)) {
          case "json" -> json();
          case "text" -> text();
          default -> {
            System.err.println(
                "LUNAR_LOG_FORMAT must be 'text' or 'json', not '" + format + "'; using text");
            yield text();
          }
        };
    delegate.setContext(getContext());
    delegate.start();
    super.start();
  }

  private Encoder<ILoggingEvent> text() {
    TextLine line = new TextLine();
    line.setContext(getContext());
    line.start();
    LayoutWrappingEncoder<ILoggingEvent> text = new LayoutWrappingEncoder<>();
    text.setLayout(line);
    return text;
  }

  /** Timestamp, level, thread, logger, MDC, formatted message and throwable; nothing redundant. */
  private static Encoder<ILoggingEvent> json() {
    JsonEncoder json = new JsonEncoder();
    json.setWithSequenceNumber(false);
    json.setWithNanoseconds(false);
    json.setWithContext(false);
    json.setWithMessage(false);
    json.setWithArguments(false);
    json.setWithFormattedMessage(true);
    return json;
  }

  @Override
  public byte[] headerBytes() {
    return delegate.headerBytes();
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return delegate.encode(event);
  }

  @Override
  public byte[] footerBytes() {
    return delegate.footerBytes();
  }

  @Override
  public void stop() {
    if (delegate != null) {
      delegate.stop();
    }
    super.stop();
  }
}
