package dev.lunar.agent.iscsi.session;

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
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connection's commands against their logical units: on the event loop when {@link
 * InlinePolicy} finds a command cheap, else on the command executor, metered either way; turns
 * whatever escapes a unit into a SCSI status, and hands the result back on the event loop.
 */
final class CommandRunner {

  private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

  /** The daemon had no room for the command's data: initiators retry. */
  static final ScsiResult TASK_SET_FULL = new ScsiResult(ScsiResult.TASK_SET_FULL, null, null, 0);

  private static final ScsiResult BUSY = new ScsiResult(ScsiResult.BUSY, null, null, 0);

  private final Connection connection;
  private final Session session;
  private final Executor executor;
  private final InlinePolicy inline;

  CommandRunner(Connection connection, Session session, Executor executor, InlinePolicy inline) {
    this.connection = connection;
    this.session = session;
    this.executor = executor;
    this.inline = inline;
  }

  /**
   * Runs a started command with its collected Data-Out; {@code done} gets the result on the event
   * loop, at once for an inline command.
   */
  void run(ScsiTask task, Consumer<ScsiResult> done) {
    ScsiCommand command = task.command();
    ByteBuf dataOut = task.writeBuffer() == null ? null : task.writeBuffer().take();
    ScsiRequest request =
        new ScsiRequest(
            session.nexus(1),
            command.cdb(),
            dataOut,
            command.read() ? command.expectedDataTransferLength() : 0,
            command.taskAttribute(),
            command.itt() & 0xffffffffL,
            sendsFromFile(command));
    if (inline.allows(command, task.lun())) {
      long started = inline.started();
      ScsiResult result = perform(task, request, false);
      inline.finished(task.lun(), started);
      done.accept(result);
      return;
    }
    executor.execute(
        () -> {
          ScsiResult result = perform(task, request, true);
          connection.channel().eventLoop().execute(() -> done.accept(result));
        });
  }

  /**
   * Whether a read's data may come back as a file span: only for a plain read (a bidirectional
   * command's answer takes the buffer path), and not under a data digest, which needs the bytes.
   */
  private boolean sendsFromFile(ScsiCommand command) {
    return command.read()
        && !command.write()
        && command.expectedDataTransferLength() > 0
        && !connection.limits().dataDigest();
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
      return edtl > 0 && edtl <= CommandFlow.MAX_TRANSFER
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
}
