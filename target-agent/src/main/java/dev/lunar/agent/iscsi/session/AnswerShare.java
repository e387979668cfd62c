package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.iscsi.pdu.ScsiCommand;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One connection's share of the daemon's transfer budget for read answers, and the commands held
 * back against it. Running a READ queues its whole answer on the channel, so an initiator that
 * pipelines reads and never collects the answers would otherwise fill direct memory for every
 * session in the daemon; held here, its commands keep their window slots, so MaxCmdSN stops moving
 * and the initiator stops sending. Confined to the connection's event loop, like {@link
 * WriteShare}, its counterpart for write data.
 */
final class AnswerShare {

  /**
   * The most read data one connection may have produced but not yet handed to its socket, unless it
   * is a single command's: a quarter of the daemon's transfer budget, so one initiator that does
   * not collect its answers cannot take all of it. Eight 1 MiB reads in flight need half of this.
   */
  static final long MAX_ANSWER_BYTES = TransferBudget.DEFAULT_BYTES / 4;

  private final TransferBudget budget;
  private final BooleanSupplier writable;
  private final Consumer<ScsiTask> start;

  /**
   * Commands ready to run, held while the initiator does not read what this connection sends, or
   * while the answers of this connection's running reads would pass {@link #MAX_ANSWER_BYTES}.
   * Everything behind a held command is held too, in the order delivered.
   */
  private final Queue<ScsiTask> held = new ArrayDeque<>();

  /** Read data of started commands whose answers have not yet left for the socket. */
  private long answerBytes;

  private boolean resuming;

  /**
   * @param writable whether the initiator reads what the connection sends
   * @param start runs a command that may start now
   */
  AnswerShare(TransferBudget budget, BooleanSupplier writable, Consumer<ScsiTask> start) {
    this.budget = budget;
    this.writable = writable;
    this.start = start;
  }

  /** A command ready to run: starts it now, or holds it behind the ones already held. */
  void offer(ScsiTask task) {
    if (!held.isEmpty() || !mayStart(task)) {
      if (!held.contains(task)) {
        held.add(task);
      }
      return;
    }
    start.accept(task);
  }

  /**
   * Runs held commands for as long as they may start: the connection takes data again, or answers
   * left for the socket.
   */
  void resume() {
    if (resuming) {
      return; // called back from a command this loop started; the loop goes on by itself
    }
    resuming = true;
    try {
      ScsiTask task;
      while ((task = held.peek()) != null && mayStart(task)) {
        held.poll();
        start.accept(task);
      }
    } finally {
      resuming = false;
    }
  }

  /**
   * Reserves the read data a starting command may produce, in the budget and against this
   * connection: the bytes reserved (0 for a command that reads nothing), or -1 when the daemon has
   * no room.
   */
  long reserve(ScsiTask task) {
    long reserved = readReservation(task);
    if (reserved > 0 && !budget.tryAcquire(reserved)) {
      return -1;
    }
    answerBytes += reserved;
    return reserved;
  }

  /** A command's answer has left for the socket (or never will): its reservation goes back. */
  void written(long reserved) {
    if (reserved == 0) {
      return;
    }
    budget.release(reserved);
    answerBytes -= reserved;
    resume();
  }

  private boolean mayStart(ScsiTask task) {
    return writable.getAsBoolean()
        && (answerBytes == 0 || answerBytes + readReservation(task) <= MAX_ANSWER_BYTES);
  }

  /** The read data a command may produce, as reserved from the budget. */
  private static long readReservation(ScsiTask task) {
    ScsiCommand command = task.command();
    long expected = command.read() ? command.expectedDataTransferLength() & 0xffffffffL : 0;
    return Math.min(expected, CommandFlow.MAX_TRANSFER);
  }
}
