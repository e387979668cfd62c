package dev.lunar.agent.logging;

import ch.qos.logback.core.Context;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import ch.qos.logback.core.status.StatusManager;
import java.io.PrintStream;

/**
 * Prints logback's own warnings and errors (an appender that cannot write, a bad setting) to
 * stderr, as logback would after configuring itself. Registered by {@link LogConfigurator}: a
 * context without a status listener makes logback initialize its {@code StatusPrinter} at every
 * start, whose date formatter loads java.time's formatting, regular expressions and locale data
 * into the daemon and its AOT cache for nothing when there is nothing to print.
 */
final class StatusWarnings implements StatusListener {

  private final PrintStream out;

  StatusWarnings(PrintStream out) {
    this.out = out;
  }

  /** Adds a listener to {@code context} and prints the warnings it already holds. */
  static void register(Context context, PrintStream out) {
    StatusWarnings listener = new StatusWarnings(out);
    StatusManager statuses = context.getStatusManager();
    statuses.getCopyOfStatusList().forEach(listener::addStatusEvent);
    statuses.add(listener);
  }

  @Override
  public void addStatusEvent(Status status) {
    if (status.getLevel() < Status.WARN) {
      return;
    }
    String level = status.getLevel() == Status.ERROR ? "ERROR" : "WARN";
    out.println("logback " + level + ": " + status.getMessage());
    if (status.getThrowable() != null) {
      status.getThrowable().printStackTrace(out);
    }
  }
}
