package dev.lunar.operator;

import java.util.concurrent.TimeUnit;

/** Stopping the daemons tests start: SIGTERM and a grace period, then SIGKILL. */
public final class ChildProcesses {

  private ChildProcesses() {}

  /** Stops {@code process} (null or already gone is fine) within about 20 s. */
  public static void stop(Process process) {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
