package dev.lunar.agent.logging;

import org.slf4j.MDC;

/**
 * Puts target, initiator and LUN into the logging context (SLF4J MDC) for the duration of one piece
 * of work, so every line logged meanwhile carries them (as fields in JSON logs). Threads are shared
 * between connections, so the context is set around each unit of work and restored after, never
 * left behind.
 */
public final class LogContext implements AutoCloseable {

  public static final String TARGET = "target";
  public static final String INITIATOR = "initiator";
  public static final String LUN = "lun";

  private final String previousTarget;
  private final String previousInitiator;
  private final String previousLun;

  private LogContext(String target, String initiator, String lun) {
    previousTarget = MDC.get(TARGET);
    previousInitiator = MDC.get(INITIATOR);
    previousLun = MDC.get(LUN);
    set(TARGET, target);
    set(INITIATOR, initiator);
    set(LUN, lun);
  }

  /**
   * Sets the context; {@code null} values leave a key out. Close it to restore the previous one.
   */
  public static LogContext open(String target, String initiator) {
    return new LogContext(target, initiator, null);
  }

  /** As {@link #open(String, String)}, with a LUN number. */
  public static LogContext open(String target, String initiator, int lun) {
    return new LogContext(target, initiator, Integer.toString(lun));
  }

  /**
   * Sets target and initiator for the rest of the current unit of work, under a context {@link
   * #open}ed around it, which restores what was there before.
   */
  public static void enter(String target, String initiator) {
    set(TARGET, target);
    set(INITIATOR, initiator);
  }

  private static void set(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  @Override
  public void close() {
    set(TARGET, previousTarget);
    set(INITIATOR, previousInitiator);
    set(LUN, previousLun);
  }
}
