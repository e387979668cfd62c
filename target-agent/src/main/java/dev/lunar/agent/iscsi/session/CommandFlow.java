package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.iscsi.pdu.DataOut;
import dev.lunar.agent.iscsi.pdu.RejectReason;
import dev.lunar.agent.iscsi.pdu.ScsiCommand;
import dev.lunar.agent.logging.LogContext;
import dev.lunar.agent.scsi.LogicalUnit;
import dev.lunar.agent.scsi.ScsiResult;
import dev.lunar.agent.scsi.SenseCode;
import dev.lunar.agent.target.LiveTarget;
import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SCSI commands on one connection (RFC 7143 sections 4.2.2 and 11.2-11.8), from Command PDU to
 * answer: takes each command into the session's task table and CmdSN window, and runs it once it is
 * both in CmdSN order and complete. The jobs along the way have their own classes: {@link
 * WriteShare} reserves write data, {@link DataOutCollector} collects it with R2Ts, {@link
 * AnswerShare} holds commands back while their answers would not leave, {@link CommandRunner} runs
 * them; {@link DataInSender} sends the result back on this connection.
 */
final class CommandFlow {

  /**
   * The largest transfer one command may announce. Block limits (VPD page 0xB0) tell initiators
   * less; this only keeps a hostile Expected Data Transfer Length from allocating without bound.
   */
  static final int MAX_TRANSFER = 32 * 1024 * 1024;

  private final Connection connection;
  private final Session session;
  private final WriteShare writes;
  private final DataOutCollector collector;
  private final AnswerShare answers;
  private final CommandRunner runner;
  private final Queue<ScsiTask> ready = PlatformDependent.newMpscQueue();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();

  CommandFlow(
      Connection connection,
      Session session,
      Executor executor,
      TransferBudget budget,
      Duration dataOutTimeout) {
    this.connection = connection;
    this.session = session;
    this.writes = new WriteShare(connection, budget, this::writeTurn);
    this.collector =
        new DataOutCollector(
            connection, session, writes, dataOutTimeout, this::maybeExecute, this::lostData);
    this.answers = new AnswerShare(budget, () -> connection.channel().isWritable(), this::start);
    this.runner = new CommandRunner(connection, session, executor, InlinePolicy.systemClock());
  }

  void command(ScsiCommand command) {
    TransferLimits limits = session.limits();
    ByteBuf immediate = command.data();
    try {
      if (session.tasks().containsKey(command.itt())) {
        connection.reject(RejectReason.TASK_IN_PROGRESS.value(), command);
        return;
      }
      int edtl = command.expectedDataTransferLength();
      if (immediate.isReadable()
          && (!command.write() || !immediateDataFits(limits, immediate.readableBytes(), edtl))) {
        connection.reject(RejectReason.PROTOCOL_ERROR.value(), command);
        return;
      }
      int lun = LunAddress.decode(command.lun());
      LiveTarget target = session.target();
      LogicalUnit unit = target == null || lun < 0 ? null : target.unit(lun);
      // With InitialR2T=No and F=0 unsolicited Data-Out follows, up to FirstBurstLength.
      boolean unsolicitedFollows = !command.finalFlag() && !limits.initialR2t();
      // Without a reservation the write gets no buffer and is answered TASK SET FULL.
      WriteBuffer writeBuffer =
          command.write() && edtl > 0 && edtl <= MAX_TRANSFER
              ? writes.buffer(command.itt(), edtl, immediate, unsolicitedFollows)
              : null;
      ScsiTask task = new ScsiTask(connection, command, lun, unit, writeBuffer);
      task.unsolicitedDone(!unsolicitedFollows || writeBuffer == null);
      session.tasks().put(command.itt(), task);
      writes.queueIfWaiting(task);
      if (task.unsolicitedDone()) {
        collector.solicit(task);
      }
      CmdSnWindow.Verdict verdict =
          session.window().offer(command.cmdSn(), command.immediate(), () -> deliver(task));
      if (verdict == CmdSnWindow.Verdict.DROPPED) {
        session.tasks().remove(command.itt(), task);
        writes.release(task);
      } else if (verdict == CmdSnWindow.Verdict.QUEUED && writeBuffer != null) {
        writeBuffer.own(); // it may wait long for its CmdSN turn
      }
    } finally {
      immediate.release();
      writes.discardPlaced(); // set aside for a command that was rejected before it took it
    }
  }

  void dataOut(DataOut data) {
    collector.dataOut(data);
  }

  ByteBuf placeDataOut(int itt, int ttt, int dataSn, int bufferOffset, int length) {
    return collector.placement(itt, ttt, dataSn, bufferOffset, length);
  }

  /**
   * Where a write command's immediate data may be read to directly, before it arrives: the start of
   * a write buffer set aside and reserved for it, when its header alone shows that {@link #command}
   * will take it as it is (a task tag not in use, immediate data allowed and within
   * FirstBurstLength and the transfer, a transfer not too long) and this connection's share has
   * room now; null otherwise. The command then finds its buffer already filled.
   */
  ByteBuf placeImmediateData(int itt, int edtl, int length) {
    if (session.tasks().containsKey(itt)
        || !immediateDataFits(session.limits(), length, edtl)
        || edtl > MAX_TRANSFER) {
      return null;
    }
    return writes.placeImmediate(itt, edtl, length);
  }

  /**
   * Whether {@code length} bytes of immediate data may come with a write of {@code edtl} bytes:
   * ImmediateData negotiated, and no more than FirstBurstLength or the transfer itself.
   */
  private static boolean immediateDataFits(TransferLimits limits, int length, int edtl) {
    return limits.immediateData() && length <= Math.min(limits.firstBurstLength(), edtl);
  }

  /** Gives back a buffer set aside for immediate data whose command never came. */
  void discardPlacedImmediateData() {
    writes.discardPlaced();
  }

  /** A waiting write got its turn: granted, it asks for its data; refused, it ends. */
  private void writeTurn(ScsiTask task) {
    collector.solicit(task);
    maybeExecute(task);
  }

  /**
   * Hands a command whose CmdSN turn came to this connection's event loop. Runs under the window's
   * lock, possibly on another connection's loop, so it only queues; one task per batch drains the
   * queue, under one logging context.
   */
  private void deliver(ScsiTask task) {
    ready.offer(task);
    if (drainScheduled.compareAndSet(false, true)) {
      connection.channel().eventLoop().execute(this::drainDelivered);
    }
  }

  private void drainDelivered() {
    drainScheduled.set(false);
    try (LogContext context = connection.logContext()) {
      ScsiTask task;
      while ((task = ready.poll()) != null) {
        delivered(task);
      }
    }
  }

  private void delivered(ScsiTask task) {
    task.markDelivered();
    if (task.aborted()) {
      complete(task);
      return;
    }
    maybeExecute(task);
  }

  /**
   * A Data-Out out of DataSN order: at ErrorRecoveryLevel 0 the data cannot be recovered, so the
   * command ends with ABORTED COMMAND / DATA PHASE ERROR (the PDU was rejected); later Data-Out for
   * it is dropped.
   */
  private void lostData(ScsiTask task) {
    if (!task.claimForAbort()) {
      return;
    }
    writes.release(task);
    DataInSender.send(connection, task, ScsiResult.checkCondition(SenseCode.DATA_PHASE_ERROR));
    task.abort();
    complete(task);
  }

  /** Runs a command that is in CmdSN order and has all its data, unless answers hold it back. */
  private void maybeExecute(ScsiTask task) {
    if (task.delivered() && task.dataComplete()) {
      answers.offer(task);
    }
  }

  /** The initiator reads again, or answers left: held commands may start. */
  void resumeHeld() {
    answers.resume();
  }

  private void start(ScsiTask task) {
    if (!task.tryStart()) {
      return; // aborted while held
    }
    long reserved = answers.reserve(task);
    if (reserved < 0) {
      writes.release(task); // a bidirectional command's
      finish(task, CommandRunner.TASK_SET_FULL, 0);
      return;
    }
    runner.run(task, result -> finish(task, result, reserved));
  }

  /**
   * Answers a command; the {@code reserved} read bytes stay counted, in the budget and against this
   * connection, until the answer has left for the socket.
   */
  private void finish(ScsiTask task, ScsiResult result, long reserved) {
    writes.done(task); // the unit has written the data, and its reservation went back
    if (task.aborted() || !connection.channel().isActive()) {
      result.releaseDataIn();
      answers.written(reserved);
    } else {
      DataInSender.send(
          connection, task, result, reserved == 0 ? null : () -> answers.written(reserved));
    }
    complete(task);
  }

  /** Forgets a task and opens its window slot; runs once the task will send nothing more. */
  private void complete(ScsiTask task) {
    session.tasks().remove(task.itt(), task);
    if (task.delivered() && !task.command().immediate() && task.releaseWindowSlot()) {
      session.window().completed();
    }
    task.finished().complete(null);
  }

  /**
   * Aborts one task of this connection: a task still collecting data or waiting for its turn ends
   * now; a running one ends unanswered when the logical unit returns. Runs on the event loop.
   */
  void abort(ScsiTask task) {
    task.abort();
    if (task.claimForAbort()) {
      writes.release(task);
      complete(task);
    }
  }

  /** The connection is gone: every task it carried ends unanswered. */
  void abortAll() {
    collector.stop();
    writes.discardPlaced();
    for (ScsiTask task : session.tasks().values()) {
      if (task.connection() == connection) {
        abort(task);
      }
    }
  }
}
