package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.iscsi.pdu.DataOut;
import dev.lunar.agent.iscsi.pdu.ReadyToTransfer;
import dev.lunar.agent.iscsi.pdu.RejectReason;
import dev.lunar.agent.iscsi.pdu.ScsiCommand;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The write data of one connection's commands (RFC 7143 sections 11.7 and 11.8): takes unsolicited
 * Data-Out within FirstBurstLength, then asks for the rest with R2Ts of at most MaxBurstLength,
 * MaxOutstandingR2T at a time, checking every PDU's DataSN, offset and length against what was
 * asked before a byte is copied. A {@link DataOutWatch} drops the connection when R2Ts stay
 * unanswered. Confined to the connection's event loop.
 */
final class DataOutCollector {

  private static final int NO_TAG = 0xffffffff;

  private final Connection connection;
  private final Session session;
  private final WriteShare writes;
  private final Consumer<ScsiTask> arrived;
  private final Consumer<ScsiTask> sequenceLost;
  private final DataOutWatch watch;
  private int nextTtt = 1;

  /**
   * @param arrived called after each Data-Out PDU of a live task, accepted or rejected: the task
   *     may now have all its data
   * @param sequenceLost called for a task whose Data-Out came out of DataSN order, after the PDU
   *     was rejected: at ErrorRecoveryLevel 0 the command must end
   */
  DataOutCollector(
      Connection connection,
      Session session,
      WriteShare writes,
      Duration timeout,
      Consumer<ScsiTask> arrived,
      Consumer<ScsiTask> sequenceLost) {
    this.connection = connection;
    this.session = session;
    this.writes = writes;
    this.arrived = arrived;
    this.sequenceLost = sequenceLost;
    this.watch = new DataOutWatch(connection, timeout, this::r2tsOpen);
    if (!session.discovery()) {
      watch.start();
    }
  }

  void dataOut(DataOut data) {
    connection.metrics().iscsi().dataOut(session.identity().targetName());
    watch.received();
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
      arrived.accept(task);
    } finally {
      data.data().release();
    }
  }

  /**
   * Where the data segment of a solicited Data-Out may be read to directly, before it arrives: the
   * slice of its command's write buffer that {@link #dataOut} would copy it to, when the header
   * alone shows that the PDU will be accepted (a live task of this connection, an open R2T with
   * that tag, the DataSN it expects, a range inside it); null otherwise, and for unsolicited data,
   * which then goes the usual way. Changes nothing: the PDU, once complete, is checked again.
   */
  ByteBuf placement(int itt, int ttt, int dataSn, int offset, int length) {
    ScsiTask task = session.tasks().get(itt);
    if (ttt == NO_TAG || task == null || task.connection() != connection || task.aborted()) {
      return null;
    }
    WriteBuffer buffer = task.writeBuffer();
    if (buffer == null) {
      return null;
    }
    for (ScsiTask.OpenR2t open : task.openR2ts()) {
      if (open.ttt == ttt) {
        boolean inside =
            dataSn == open.nextDataSn
                && offset >= open.offset
                && (long) offset + length <= (long) open.offset + open.length;
        return inside ? buffer.placement(offset, length) : null;
      }
    }
    return null;
  }

  private void unsolicited(ScsiTask task, WriteBuffer buffer, DataOut data) {
    TransferLimits limits = session.limits();
    int end = data.bufferOffset() + data.data().readableBytes();
    if (data.dataSn() != task.takeUnsolicitedDataSn()) {
      lostSequence(task, data);
      return;
    }
    if (task.unsolicitedDone()
        || end > limits.firstBurstLength()
        || !buffer.put(data.bufferOffset(), data.data())) {
      reject(data);
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
      lostSequence(task, data);
      return;
    }
    int offset = data.bufferOffset();
    int length = data.data().readableBytes();
    if (r2t == null
        || offset < r2t.offset
        || offset + length > r2t.offset + r2t.length
        || !buffer.put(offset, data.data())) {
      reject(data);
      return;
    }
    if (data.finalFlag()) {
      task.openR2ts().remove(r2t);
      solicit(task);
    }
  }

  private void reject(DataOut data) {
    connection.reject(RejectReason.PROTOCOL_ERROR.value(), data);
  }

  private void lostSequence(ScsiTask task, DataOut data) {
    reject(data);
    sequenceLost.accept(task);
  }

  /** Sends R2Ts for the data still missing, keeping at most MaxOutstandingR2T open. */
  void solicit(ScsiTask task) {
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

  /** Whether some write of this connection has R2Ts waiting for their data. */
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

  /** The connection is gone: no more R2T timeouts. */
  void stop() {
    watch.stop();
  }
}
