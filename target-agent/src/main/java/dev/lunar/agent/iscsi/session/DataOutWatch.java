package dev.lunar.agent.iscsi.session;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Ends a connection whose initiator leaves R2Ts unanswered: when R2Ts stay open and no Data-Out
 * arrives for {@code timeout}, the connection closes, and with it go its tasks and their buffer
 * reservations. An initiator that announces writes, never sends their data and answers every NOP-In
 * would otherwise keep its share of the transfer budget for good. At ErrorRecoveryLevel 0 missing
 * data cannot be asked for again (recovery R2Ts need level 1, RFC 7143 section 7); dropping the
 * connection is the recovery there, as Linux's LIO target does, with a shorter default.
 *
 * <p>One timer per connection checks {@link #CHECKS} times per timeout whether Data-Out arrived
 * since the last check; the data path only counts PDUs. A connection that takes nothing of what we
 * send is left to the idle ping instead: while we do not read it, its Data-Out cannot arrive. Runs
 * on the connection's event loop.
 */
final class DataOutWatch {

  private static final int CHECKS = 3;

  private final Connection connection;
  private final Duration timeout;
  private final BooleanSupplier r2tsOpen;
  private ScheduledFuture<?> checks;
  private int received;
  private int receivedAtLastCheck;
  private int quietChecks;

  /** {@code r2tsOpen} tells whether R2Ts of this connection wait for data. */
  DataOutWatch(Connection connection, Duration timeout, BooleanSupplier r2tsOpen) {
    this.connection = connection;
    this.timeout = timeout;
    this.r2tsOpen = r2tsOpen;
  }

  void start() {
    long period = Math.max(1, timeout.toMillis() / CHECKS);
    checks =
        connection
            .channel()
            .eventLoop()
            .scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  void stop() {
    if (checks != null) {
      checks.cancel(false);
    }
  }

  /** A Data-Out PDU arrived. */
  void received() {
    received++;
  }

  /**
   * Counts checks in a row that found R2Ts open and no Data-Out since the one before; the first
   * such check may come just after an R2T went out, so one more than {@link #CHECKS} closes: the
   * R2Ts have then been open, without data, for at least the timeout.
   */
  private void check() {
    boolean quiet =
        received == receivedAtLastCheck
            && connection.channel().isWritable()
            && r2tsOpen.getAsBoolean();
    receivedAtLastCheck = received;
    quietChecks = quiet ? quietChecks + 1 : 0;
    if (quietChecks > CHECKS) {
      stop();
      connection.close("no Data-Out for " + timeout.toMillis() + " ms while R2Ts are open");
    }
  }
}
