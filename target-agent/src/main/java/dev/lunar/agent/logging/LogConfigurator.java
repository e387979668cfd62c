package dev.lunar.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The agent's logging, set up in code (found by logback through {@code META-INF/services}) rather
 * than from a {@code logback.xml}: parsing XML loaded about 800 classes (logback's configuration
 * engine and the JDK's XML parser), a tenth of the daemon's idle memory.
 *
 * <p>Logs go to stderr. {@code LUNAR_LOG_FORMAT} picks the encoder: {@code text} (default, {@link
 * TextLine}) for people, {@code json} for one JSON object per line (logback's JsonEncoder; its
 * {@code mdc} object carries target, initiator and lun where the agent knows them). Text lines
 * carry the same keys as {@code " [target=..., lun=...]"} after the logger, and nothing when the
 * MDC is empty. {@code LUNAR_LOG_LEVEL} raises or lowers Lunar's own loggers. Each setting is read
 * as a system property first, then from the environment. A configuration file named by {@code
 * -Dlogback.configurationFile} still wins.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    StatusWarnings.register(context, System.err);
    LogFormatEncoder encoder = new LogFormatEncoder();
    encoder.setContext(context);
    encoder.setFormat(setting("LUNAR_LOG_FORMAT", "text"));
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(stderr);
    context.getLogger("dev.lunar").setLevel(Level.toLevel(setting("LUNAR_LOG_LEVEL", "INFO")));
    context.getLogger("io.netty").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static String setting(String name, String fallback) {
    String value = System.getProperty(name);
    if (value == null) {
      value = System.getenv(name);
    }
    return value == null || value.isEmpty() ? fallback : value;
  }
}
