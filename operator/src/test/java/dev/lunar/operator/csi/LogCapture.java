package dev.lunar.operator.csi;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Everything Lunar's in-process code (the operator, the CSI controller) logs at INFO and above
 * while attached, with its stack traces, to be searched for what must never be logged.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> {

  private final StringBuffer text = new StringBuffer();
  private Level before;

  void attach() {
    Logger lunar = lunarLogger();
    before = lunar.getLevel();
    lunar.setLevel(Level.INFO);
    setContext(lunar.getLoggerContext());
    start();
    lunar.addAppender(this);
  }

  void detach() {
    Logger lunar = lunarLogger();
    lunar.detachAppender(this);
    lunar.setLevel(before);
    stop();
  }

  String text() {
    return text.toString();
  }

  @Override
  protected void append(ILoggingEvent event) {
    text.append(event.getFormattedMessage()).append('\n');
    if (event.getThrowableProxy() != null) {
      text.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
    }
  }

  private static Logger lunarLogger() {
    return (Logger) LoggerFactory.getLogger("dev.lunar");
  }
}
