package dev.lunar.agent.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The text format's line, written here rather than by logback's {@code PatternLayout} of {@link
 * #PATTERN}: the same line, character for character, but that layout's class initializer links a
 * converter for every conversion word logback knows (about 120 classes and lambdas, the colour
 * converters among them), 0.7 MiB of every daemon's memory for the seven words this line uses.
 *
 * <p>A line is the local time with milliseconds and offset, the level padded to five, the logger
 * name shortened to about {@value #LOGGER_WIDTH} characters the way logback shortens it, the MDC
 * (target, initiator, lun where known) in brackets when there is one, the message, and the stack
 * trace of a throwable on the lines after it.
 */
public final class TextLine extends LayoutBase<ILoggingEvent> {

  /** The logback pattern whose output this layout reproduces. */
  public static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{20}%replace( [%mdc]){' \\[\\]', ''} -"
          + " %msg%n";

  static final int LOGGER_WIDTH = 20;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
  private static final String NEWLINE = System.lineSeparator();

  private final ZoneId zone = ZoneId.systemDefault();

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(160);
    TIME.formatTo(event.getInstant().atZone(zone), line);
    String level = event.getLevel().toString();
    line.append(' ').append(level).repeat(' ', Math.max(0, 5 - level.length()));
    line.append(' ').append(shortened(event.getLoggerName()));
    appendMdc(line, event.getMDCPropertyMap());
    line.append(" - ").append(event.getFormattedMessage()).append(NEWLINE);
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(ThrowableProxyUtil.asString(thrown)); // ends with its own line separator
    }
    return line.toString();
  }

  private static void appendMdc(StringBuilder line, Map<String, String> mdc) {
    if (mdc == null || mdc.isEmpty()) {
      return;
    }
    line.append(" [");
    String separator = "";
    for (Map.Entry<String, String> entry : mdc.entrySet()) {
      line.append(separator).append(entry.getKey()).append('=').append(entry.getValue());
      separator = ", ";
    }
    line.append(']');
  }

  /**
   * Logback's {@code %logger{20}}: a name shorter than the width stays whole; otherwise package
   * segments are cut to their first letter from the left, a whole segment at a time, until the
   * package part fits beside the class name (which is never cut).
   */
  static String shortened(String name) {
    int lastDot = name.lastIndexOf('.');
    if (name.length() < LOGGER_WIDTH || lastDot < 0) {
      return name;
    }
    String className = name.substring(lastDot); // with its dot
    int toCut = lastDot - Math.max(0, LOGGER_WIDTH - className.length());
    StringBuilder out = new StringBuilder(name.length());
    int cut = 0;
    int start = 0;
    while (start < lastDot) {
      int end = name.indexOf('.', start);
      if (cut >= toCut && start > 0) {
        out.append(name, start, end);
      } else if (end > start) {
        out.append(name.charAt(start));
        cut += end - start - 1;
      }
      out.append('.');
      start = end + 1;
    }
    out.setLength(out.length() - 1);
    return out.append(className).toString();
  }
}
