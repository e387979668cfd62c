package dev.lunar.agent.iscsi.session;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of command data the whole daemon holds at once: write buffers being filled (reserved at the
 * command, for its whole Expected Data Transfer Length) and read results, from the start of the
 * command until the answer has left for the socket. A command that does not fit is answered TASK
 * SET FULL, which initiators retry; without this, a few sessions announcing 32 MiB writes across
 * their whole CmdSN window could claim gigabytes.
 */
final class TransferBudget {

  /** Enough for a queue of 64 one-MiB commands; well inside a 256 MiB agent. */
  static final long DEFAULT_BYTES = 64L << 20;

  private final long limit;
  private final AtomicLong used = new AtomicLong();

  TransferBudget(long limit) {
    this.limit = limit;
  }

  /** Reserves {@code bytes} if they fit; false, reserving nothing, if they do not. */
  boolean tryAcquire(long bytes) {
    while (true) {
      long now = used.get();
      if (now + bytes > limit) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** Bytes reserved now; for tests and diagnostics. */
  long used() {
    return used.get();
  }
}
