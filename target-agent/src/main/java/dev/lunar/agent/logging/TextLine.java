package dev.lunar.agent.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
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

  private static final String NEWLINE = System.lineSeparator();

  private final ZoneRules zone = ZoneId.systemDefault().getRules();

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(160);
    appendTime(line, event.getTimeStamp(), zone);
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

  /**
   * {@code yyyy-MM-dd'T'HH:mm:ss.SSSXXX} in {@code zone}, written field by field: a {@code
   * DateTimeFormatter} would load its pattern parser and printers (about 50 classes) into every
   * daemon for this one line.
   */
  static void appendTime(StringBuilder line, long epochMilli, ZoneRules zone) {
    ZoneOffset offset = zone.getOffset(Instant.ofEpochMilli(epochMilli));
    LocalDateTime time =
        LocalDateTime.ofEpochSecond(
            Math.floorDiv(epochMilli, 1000),
            (int) Math.floorMod(epochMilli, 1000) * 1_000_000,
            offset);
    line.append(time.getYear());
    twoDigits(line.append('-'), time.getMonthValue());
    twoDigits(line.append('-'), time.getDayOfMonth());
    twoDigits(line.append('T'), time.getHour());
    twoDigits(line.append(':'), time.getMinute());
    twoDigits(line.append(':'), time.getSecond());
    int millis = time.getNano() / 1_000_000;
    line.append('.').append((char) ('0' + millis / 100));
    twoDigits(line, millis % 100);
    int seconds = offset.getTotalSeconds();
    if (seconds == 0) {
      line.append('Z');
      return;
    }
    line.append(seconds < 0 ? '-' : '+');
    twoDigits(line, Math.abs(seconds) / 3600);
    twoDigits(line.append(':'), Math.abs(seconds) / 60 % 60);
  }

  private static void twoDigits(StringBuilder line, int value) {
    line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
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
