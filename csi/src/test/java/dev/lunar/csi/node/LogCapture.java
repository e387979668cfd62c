package dev.lunar.csi.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every log line of the {@code dev.lunar.csi} loggers, at every level, while open. */
final class LogCapture implements AutoCloseable {

  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.lunar.csi");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Level level;
  private final boolean additive;

  LogCapture() {
    level = logger.getLevel();
    additive = logger.isAdditive();
    // Everything down to TRACE is captured, and kept off the console meanwhile.
    logger.setLevel(Level.ALL);
    logger.setAdditive(false);
    appender.start();
    logger.addAppender(appender);
  }

  /** The formatted messages so far. */
  List<String> messages() {
    return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(level);
    logger.setAdditive(additive);
  }
}
