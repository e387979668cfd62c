package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.iscsi.pdu.DataOut;
import dev.lunar.agent.iscsi.pdu.ReadyToTransfer;
import dev.lunar.agent.iscsi.pdu.RejectReason;
import dev.lunar.agent.iscsi.pdu.ScsiCommand;
import dev.lunar.agent.logging.LogContext;
import dev.lunar.agent.metrics.IoMeter;
import dev.lunar.agent.scsi.LogicalUnit;
import dev.lunar.agent.scsi.MissingUnit;
import dev.lunar.agent.scsi.ScsiRequest;
import dev.lunar.agent.scsi.ScsiResult;
import dev.lunar.agent.scsi.SenseCode;
import dev.lunar.agent.target.LiveTarget;
import io.netty.buffer.ByteBuf;
import io.netty.util.internal.OutOfDirectMemoryError;
import io.netty.util.internal.PlatformDependent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SCSI commands on one connection (RFC 7143 sections 4.2.2 and 11.2-11.8): collects write data
 * (immediate, unsolicited within FirstBurstLength, then solicited by R2Ts of at most
 * MaxBurstLength, MaxOutstandingR2T at a time), runs the command once it is both in CmdSN order and
 * complete (on the event loop when {@link InlinePolicy} finds it cheap, else on the command
 * executor), and sends the result back on this connection.
 */
final class CommandFlow {

  private static final Logger log = LoggerFactory.getLogger(CommandFlow.class);
  private static final int NO_TAG = 0xffffffff;

  /**
   * The largest transfer one command may announce. Block limits (VPD page 0xB0) tell initiators
   * less; this only keeps a hostile Expected Data Transfer Length from allocating without bound.
   */
  static final int MAX_TRANSFER = 32 * 1024 * 1024;

  private static final ScsiResult TASK_SET_FULL =
      new ScsiResult(ScsiResult.TASK_SET_FULL, null, null, 0);
  private static final ScsiResult BUSY = new ScsiResult(ScsiResult.BUSY, null, null, 0);

  private final Connection connection;
  private final Session session;
  private final Executor executor;
  private final TransferBudget budget;
  private final InlinePolicy inline = InlinePolicy.systemClock();
  private final Queue<ScsiTask> ready = PlatformDependent.newMpscQueue();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();

  /**
   * The most read data one connection may have produced but not yet handed to its socket, unless it
   * is a single command's: a quarter of the daemon's transfer budget, so one initiator that does
   * not collect its answers cannot take all of it. Eight 1 MiB reads in flight need half of this.
   */
  static final long MAX_ANSWER_BYTES = TransferBudget.DEFAULT_BYTES / 4;

  /**
   * Commands ready to run, held while the initiator does not read what this connection sends, or
   * while the answers of this connection's running reads would pass {@link #MAX_ANSWER_BYTES}.
   * Running a READ queues its whole answer on the channel, so an initiator that pipelines reads and
   * never collects the answers would otherwise fill direct memory for every session in the daemon;
   * held here, its commands keep their window slots, so MaxCmdSN stops moving and the initiator
   * stops sending. Everything behind a held command is held too, in the order delivered.
   */
  private final Queue<ScsiTask> held = new ArrayDeque<>();

  /** Read data of started commands whose answers have not yet left for the socket. */
  private long answerBytes;

  private final WriteShare writes;

  private boolean resuming;

  private int nextTtt = 1;

  private final DataOutWatch dataOutWatch;

  CommandFlow(
      Connection connection,
      Session session,
      Executor executor,
      TransferBudget budget,
      Duration dataOutTimeout) {
    this.connection = connection;
    this.session = session;
    this.budget = budget;
    this.executor = executor;
    this.writes = new WriteShare(connection, budget, this::writeTurn);
    this.dataOutWatch = new DataOutWatch(connection, dataOutTimeout, this::r2tsOpen);
    if (!session.discovery()) {
      dataOutWatch.start();
    }
  }

  void command(ScsiCommand command) {
    TransferLimits limits = session.limits();
    ByteBuf immediate = command.data();
    try {
      if (session.tasks().containsKey(command.itt())) {
        rejectCommand(command, RejectReason.TASK_IN_PROGRESS.value());
        return;
      }
      int edtl = command.expectedDataTransferLength();
      if (immediate.isReadable()
          && (!command.write()
              || !limits.immediateData()
              || immediate.readableBytes() > Math.min(limits.firstBurstLength(), edtl))) {
        rejectCommand(command, RejectReason.PROTOCOL_ERROR.value());
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
              ? writes.buffer(edtl, immediate, unsolicitedFollows)
              : null;
      ScsiTask task = new ScsiTask(connection, command, lun, unit, writeBuffer);
      task.unsolicitedDone(!unsolicitedFollows || writeBuffer == null);
      session.tasks().put(command.itt(), task);
      writes.queueIfWaiting(task);
      if (task.unsolicitedDone()) {
        solicit(task);
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
    }
  }

  /** A waiting write got its turn: granted, it asks for its data; refused, it ends. */
  private void writeTurn(ScsiTask task) {
    solicit(task);
    maybeExecute(task);
  }

  private void rejectCommand(ScsiCommand command, int reason) {
    connection.reject(reason, command);
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

  void dataOut(DataOut data) {
    connection.metrics().iscsi().dataOut(session.identity().targetName());
    dataOutWatch.received();
    try {
      ScsiTask task = session.tasks().get(data.itt());
      if (task == null || task.connection() != connection || task.aborted()) {
        return; // data for a task that ended or was aborted: nothing to do (RFC 7143 section
        // 4.2.3.3)
      }
      WriteBuffer buffer = task.writeBuffer();
      if (buffer == null) {
        return; // oversized or read-only transfer: the command answers with an error
      }
      if (data.ttt() == NO_TAG) {
        unsolicited(task, buffer, data);
      } else {
        solicited(task, buffer, data);
      }
      maybeExecute(task);
    } finally {
      data.data().release();
    }
  }

  private void unsolicited(ScsiTask task, WriteBuffer buffer, DataOut data) {
    TransferLimits limits = session.limits();
    int end = data.bufferOffset() + data.data().readableBytes();
    if (data.dataSn() != task.takeUnsolicitedDataSn()) {
      failDataSequence(task, data);
      return;
    }
    if (task.unsolicitedDone()
        || end > limits.firstBurstLength()
        || !buffer.put(data.bufferOffset(), data.data())) {
      rejectData(data);
      return;
    }
    if (data.finalFlag()) {
      task.unsolicitedDone(true);
      solicit(task);
    }
  }

  private void solicited(ScsiTask task, WriteBuffer buffer, DataOut data) {
    ScsiTask.OpenR2t r2t = null;
    for (ScsiTask.OpenR2t open : task.openR2ts()) {
      if (open.ttt == data.ttt()) {
        r2t = open;
        break;
      }
    }
    if (r2t != null && data.dataSn() != r2t.nextDataSn++) {
      failDataSequence(task, data);
      return;
    }
    int offset = data.bufferOffset();
    int length = data.data().readableBytes();
    if (r2t == null
        || offset < r2t.offset
        || offset + length > r2t.offset + r2t.length
        || !buffer.put(offset, data.data())) {
      rejectData(data);
      return;
    }
    if (data.finalFlag()) {
      task.openR2ts().remove(r2t);
      solicit(task);
    }
  }

  private void rejectData(DataOut data) {
    connection.reject(RejectReason.PROTOCOL_ERROR.value(), data);
  }

  /**
   * A Data-Out out of DataSN order: at ErrorRecoveryLevel 0 the data cannot be recovered, so the
   * PDU is rejected and the command ends with ABORTED COMMAND / DATA PHASE ERROR; later Data-Out
   * for it is dropped.
   */
  private void failDataSequence(ScsiTask task, DataOut data) {
    rejectData(data);
    if (!task.claimForAbort()) {
      return;
    }
    writes.release(task);
    DataInSender.send(connection, task, ScsiResult.checkCondition(SenseCode.DATA_PHASE_ERROR));
    task.abort();
    complete(task);
  }

  /** Sends R2Ts for the data still missing, keeping at most MaxOutstandingR2T open. */
  private void solicit(ScsiTask task) {
    WriteBuffer buffer = task.writeBuffer();
    if (buffer == null || !task.unsolicitedDone() || !buffer.granted()) {
      return;
    }
    if (task.nextR2tOffset() == 0) {
      task.nextR2tOffset(buffer.received());
    }
    TransferLimits limits = session.limits();
    while (task.openR2ts().size() < limits.maxOutstandingR2t()
        && task.nextR2tOffset() < buffer.expectedLength()) {
      int offset = task.nextR2tOffset();
      int length = Math.min(limits.maxBurstLength(), buffer.expectedLength() - offset);
      int ttt = nextTtt++ & 0x7fffffff;
      int r2tSn = task.takeR2tSn();
      task.openR2ts().add(new ScsiTask.OpenR2t(ttt, offset, length));
      task.nextR2tOffset(offset + length);
      ScsiCommand command = task.command();
      connection.send(
          (s, exp, max) ->
              new ReadyToTransfer(
                  command.lun(), command.itt(), ttt, s, exp, max, r2tSn, offset, length),
          false);
      connection.metrics().iscsi().r2t(session.identity().targetName());
    }
  }

  private void maybeExecute(ScsiTask task) {
    if (!task.delivered() || !task.dataComplete()) {
      return;
    }
    if (!held.isEmpty() || !mayStart(task)) {
      if (!held.contains(task)) {
        held.add(task);
      }
      return;
    }
    start(task);
  }

  private boolean mayStart(ScsiTask task) {
    return connection.channel().isWritable()
        && (answerBytes == 0 || answerBytes + readReservation(task) <= MAX_ANSWER_BYTES);
  }

  /** The read data a command may produce, as reserved from the budget. */
  private static long readReservation(ScsiTask task) {
    ScsiCommand command = task.command();
    long expected = command.read() ? command.expectedDataTransferLength() & 0xffffffffL : 0;
    return Math.min(expected, MAX_TRANSFER);
  }

  /**
   * Runs held commands for as long as they may start: the connection takes data again, or answers
   * left for the socket.
   */
  void resumeHeld() {
    if (resuming) {
      return; // called back from a command this loop started; the loop goes on by itself
    }
    resuming = true;
    try {
      ScsiTask task;
      while ((task = held.peek()) != null && mayStart(task)) {
        held.poll();
        start(task);
      }
    } finally {
      resuming = false;
    }
  }

  private void start(ScsiTask task) {
    if (!task.tryStart()) {
      return; // aborted while held
    }
    ScsiCommand command = task.command();
    long reserved = readReservation(task);
    if (reserved > 0 && !budget.tryAcquire(reserved)) {
      writes.release(task); // a bidirectional command's
      finish(task, TASK_SET_FULL, 0);
      return;
    }
    answerBytes += reserved;
    ByteBuf dataOut = task.writeBuffer() == null ? null : task.writeBuffer().take();
    ScsiRequest request =
        new ScsiRequest(
            session.nexus(1),
            command.cdb(),
            dataOut,
            command.read() ? command.expectedDataTransferLength() : 0,
            command.taskAttribute(),
            command.itt() & 0xffffffffL);
    if (inline.allows(command, task.lun())) {
      long started = inline.started();
      ScsiResult result = perform(task, request, false);
      inline.finished(task.lun(), started);
      finish(task, result, reserved);
      return;
    }
    executor.execute(() -> run(task, request, reserved));
  }

  /** Runs a command on the executor and hands its result back to the event loop. */
  private void run(ScsiTask task, ScsiRequest request, long reserved) {
    ScsiResult done = perform(task, request, true);
    connection.channel().eventLoop().execute(() -> finish(task, done, reserved));
  }

  /**
   * Runs a command on this thread, metered; releases its Data-Out and write reservation. On the
   * executor it sets the logging context; on the event loop the connection's context is already set
   * (the logical unit names the LUN in what it logs).
   */
  private ScsiResult perform(ScsiTask task, ScsiRequest request, boolean withLogContext) {
    ScsiResult result;
    SessionIdentity who = session.identity();
    IoMeter meter =
        task.unit() == null
            ? IoMeter.NONE
            : IoMeter.start(connection.metrics().scsi(), who.targetName(), task.lun(), request);
    try (LogContext context =
        withLogContext
            ? LogContext.open(who.targetName(), who.initiatorName(), task.lun())
            : null) {
      result = execute(task, request);
      meter.completed(result);
    } catch (RuntimeException e) {
      log.error("command {} failed: {}", task, e.toString(), e);
      result = ScsiResult.checkCondition(SenseCode.INTERNAL_TARGET_FAILURE);
    } catch (OutOfDirectMemoryError e) {
      // Buffers ran out: a transient condition the initiator retries, not a lost command.
      log.warn("command {}: {}", task, e.getMessage());
      result = BUSY;
    } finally {
      if (request.dataOut() != null) {
        request.dataOut().release();
      }
      if (task.writeBuffer() != null) {
        task.writeBuffer().returnBudget();
      }
    }
    return result;
  }

  private ScsiResult execute(ScsiTask task, ScsiRequest request) {
    int edtl = task.command().expectedDataTransferLength();
    if (task.command().write() && edtl != 0 && request.dataOut() == null) {
      // No buffer: the daemon had no room (TASK SET FULL, retried), or more than Lunar takes.
      return edtl > 0 && edtl <= MAX_TRANSFER
          ? TASK_SET_FULL
          : ScsiResult.checkCondition(SenseCode.INVALID_FIELD_IN_CDB);
    }
    // Resolved now, not at arrival: a LUN reopened by a configuration change in between serves the
    // command with its new unit instead of a closed one.
    LiveTarget target = session.target();
    LogicalUnit unit = target == null || task.lun() < 0 ? null : target.unit(task.lun());
    if (unit == null) {
      return MissingUnit.execute(request, target == null ? null : target.unit(0));
    }
    return unit.execute(request);
  }

  /**
   * Answers a command; the {@code reserved} read bytes stay counted, in the budget and against this
   * connection, until the answer has left for the socket.
   */
  private void finish(ScsiTask task, ScsiResult result, long reserved) {
    writes.done(task); // the unit has written the data, and its reservation went back
    if (task.aborted() || !connection.channel().isActive()) {
      if (result.dataIn() != null) {
        result.dataIn().release();
      }
      answerWritten(reserved);
    } else {
      DataInSender.send(
          connection, task, result, reserved == 0 ? null : () -> answerWritten(reserved));
    }
    complete(task);
  }

  private void answerWritten(long reserved) {
    if (reserved == 0) {
      return;
    }
    budget.release(reserved);
    answerBytes -= reserved;
    resumeHeld();
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

  /** Whether some write of this connection has R2Ts waiting for their data; on the event loop. */
  private boolean r2tsOpen() {
    if (!writes.reserved()) {
      return false;
    }
    for (ScsiTask task : session.tasks().values()) {
      if (task.connection() == connection && !task.aborted() && !task.openR2ts().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The connection is gone: every task it carried ends unanswered. */
  void abortAll() {
    dataOutWatch.stop();
    for (ScsiTask task : session.tasks().values()) {
      if (task.connection() == connection) {
        abort(task);
      }
    }
  }
}
