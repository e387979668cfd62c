package dev.lunar.agent.iscsi.session;

import java.util.HashMap;
import java.util.Map;

/**
 * The session-wide command window (RFC 7143 section 4.2.2.1): commands are delivered in CmdSN order
 * whatever connection they arrive on; immediate ones skip the queue; anything outside [ExpCmdSN,
 * MaxCmdSN] is dropped, as the RFC tells a target to do.
 *
 * <p>The window is {@code depth} commands wide. MaxCmdSN never moves backwards, so the number of
 * commands an initiator may have queued or running is bounded by the depth.
 */
final class CmdSnWindow {

  private final int depth;
  private final Map<Integer, Runnable> waiting = new HashMap<>();
  private int expCmdSn;
  private int maxCmdSn;
  private int active;

  CmdSnWindow(int firstCmdSn, int depth) {
    this.depth = depth;
    this.expCmdSn = firstCmdSn;
    this.maxCmdSn = firstCmdSn + depth - 1;
  }

  /** What happened to an offered command. */
  enum Verdict {
    /** Delivered now (in order, or immediate); more may have been released behind it. */
    DELIVERED,
    /** Ahead of ExpCmdSN: held until the gap closes. */
    QUEUED,
    /** Outside the window or a duplicate: silently dropped. */
    DROPPED
  }

  /**
   * Offers a command. {@code delivery} runs (on this thread, under the caller's lock) when the
   * command's turn comes; it may run later, when a gap closes.
   */
  synchronized Verdict offer(int cmdSn, boolean immediate, Runnable delivery) {
    if (immediate) {
      delivery.run();
      return Verdict.DELIVERED;
    }
    if (!SerialNumbers.inWindow(cmdSn, expCmdSn, maxCmdSn) || waiting.containsKey(cmdSn)) {
      return Verdict.DROPPED;
    }
    if (cmdSn != expCmdSn) {
      waiting.put(cmdSn, delivery);
      return Verdict.QUEUED;
    }
    deliverInOrder(delivery);
    return Verdict.DELIVERED;
  }

  private void deliverInOrder(Runnable first) {
    Runnable next = first;
    while (next != null) {
      expCmdSn++;
      active++;
      next.run();
      next = waiting.remove(expCmdSn);
    }
    advanceMax();
  }

  /** A delivered command has finished; its slot opens again. */
  synchronized void completed() {
    if (active > 0) {
      active--;
    }
    advanceMax();
  }

  private void advanceMax() {
    int candidate = expCmdSn + Math.max(depth - active, 1) - 1;
    if (SerialNumbers.lessThan(maxCmdSn, candidate)) {
      maxCmdSn = candidate;
    }
  }

  synchronized int expCmdSn() {
    return expCmdSn;
  }

  synchronized int maxCmdSn() {
    return maxCmdSn;
  }

  /** Commands waiting for a gap to close: bounded by the depth. */
  synchronized int queued() {
    return waiting.size();
  }
}
