package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.iscsi.pdu.DataIn;
import dev.lunar.agent.iscsi.pdu.ScsiCommand;
import dev.lunar.agent.iscsi.pdu.ScsiResponse;
import dev.lunar.agent.scsi.ScsiResult;
import dev.lunar.agent.storage.FileSpan;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;

/**
 * Sends a finished command's result: its Data-In split into PDUs no larger than the initiator
 * accepts, then the status, folded into the last Data-In (status collapse, RFC 7143 section 11.7.4)
 * when it is GOOD, or as a SCSI Response PDU carrying sense data otherwise. Residual over- and
 * underflow compare what was moved with the Expected Data Transfer Length.
 */
final class DataInSender {

  private static final int COMMAND_COMPLETED = 0x00;

  private DataInSender() {}

  static void send(Connection connection, ScsiTask task, ScsiResult result) {
    send(connection, task, result, null);
  }

  /**
   * Sends the result; {@code written}, if not null, runs on the event loop once its last PDU has
   * left for the socket (or the connection closed).
   */
  static void send(Connection connection, ScsiTask task, ScsiResult result, Runnable written) {
    if (result.dataInSpan() != null) {
      sendFromFile(connection, task, result, written);
      return;
    }
    ScsiCommand command = task.command();
    int edtl = command.expectedDataTransferLength();
    ByteBuf dataIn = result.dataIn();
    try {
      if (command.read() && dataIn != null && dataIn.isReadable() && edtl > 0) {
        int available = dataIn.readableBytes();
        Residual residual = Residual.of(edtl, available);
        boolean collapse = result.status() == ScsiResult.GOOD && !command.write();
        sendDataIn(
            connection,
            task,
            dataIn,
            Math.min(available, edtl),
            collapse,
            result,
            residual,
            collapse ? written : null);
        if (collapse) {
          return;
        }
        sendResponse(connection, task, result, residual, written);
        return;
      }
      Residual residual =
          command.write() || result.dataOutWanted() > 0
              ? Residual.of(edtl, result.dataOutWanted())
              : Residual.of(edtl, dataIn == null ? 0 : dataIn.readableBytes());
      sendResponse(connection, task, result, residual, written);
    } finally {
      if (dataIn != null) {
        dataIn.release();
      }
    }
  }

  private static void sendDataIn(
      Connection connection,
      ScsiTask task,
      ByteBuf dataIn,
      int length,
      boolean collapse,
      ScsiResult result,
      Residual residual,
      Runnable lastWritten) {
    int segment = connection.limits().maxSendSegment();
    int offset = 0;
    while (offset < length) {
      int chunk = Math.min(segment, length - offset);
      boolean last = offset + chunk == length;
      ByteBuf slice = dataIn.retainedSlice(dataIn.readerIndex() + offset, chunk);
      int bufferOffset = offset;
      int dataSn = task.takeDataSn();
      boolean withStatus = last && collapse;
      ScsiCommand command = task.command();
      connection.send(
          (statSn, expCmdSn, maxCmdSn) ->
              new DataIn(
                  last,
                  false,
                  withStatus && residual.overflow(),
                  withStatus && residual.underflow(),
                  withStatus,
                  withStatus ? result.status() : 0,
                  command.lun(),
                  command.itt(),
                  0xffffffff,
                  withStatus ? statSn : 0,
                  expCmdSn,
                  maxCmdSn,
                  dataSn,
                  bufferOffset,
                  withStatus ? residual.count() : 0,
                  slice),
          withStatus,
          last ? lastWritten : null);
      offset += chunk;
    }
  }

  /**
   * Sends read data that stays in the backing file: one file region per Data-In PDU, sent by the
   * channel with {@code sendfile}, the status folded into the last (a span comes only with GOOD).
   */
  private static void sendFromFile(
      Connection connection, ScsiTask task, ScsiResult result, Runnable written) {
    FileSpan span = result.dataInSpan();
    ScsiCommand command = task.command();
    try {
      int edtl = command.expectedDataTransferLength();
      if (!command.read() || command.write() || edtl <= 0) {
        // Not a plain read after all: answer as the buffer path would, without data.
        ScsiResult status = new ScsiResult(result.status(), null, result.sense(), 0);
        sendResponse(
            connection, task, status, Residual.of(Math.max(edtl, 0), span.length()), written);
        return;
      }
      Residual residual = Residual.of(edtl, span.length());
      int length = Math.min(span.length(), edtl);
      int segment = connection.limits().maxSendSegment();
      int offset = 0;
      while (offset < length) {
        int chunk = Math.min(segment, length - offset);
        boolean last = offset + chunk == length;
        FileRegion region = span.region(offset, chunk);
        int bufferOffset = offset;
        int dataSn = task.takeDataSn();
        connection.send(
            (statSn, expCmdSn, maxCmdSn) ->
                DataIn.fromFile(
                    last,
                    last && residual.overflow(),
                    last && residual.underflow(),
                    last,
                    last ? result.status() : 0,
                    command.lun(),
                    command.itt(),
                    last ? statSn : 0,
                    expCmdSn,
                    maxCmdSn,
                    dataSn,
                    bufferOffset,
                    last ? residual.count() : 0,
                    region),
            last,
            last ? written : null);
        offset += chunk;
      }
    } finally {
      span.release();
    }
  }

  private static void sendResponse(
      Connection connection,
      ScsiTask task,
      ScsiResult result,
      Residual residual,
      Runnable written) {
    ScsiCommand command = task.command();
    ByteBuf sense =
        result.sense() == null ? Unpooled.EMPTY_BUFFER : ScsiResponse.senseData(result.sense());
    int expDataSn = task.pdusSent();
    connection.send(
        (statSn, expCmdSn, maxCmdSn) ->
            new ScsiResponse(
                false,
                false,
                residual.overflow(),
                residual.underflow(),
                COMMAND_COMPLETED,
                result.status(),
                command.itt(),
                0,
                statSn,
                expCmdSn,
                maxCmdSn,
                expDataSn,
                0,
                residual.count(),
                sense),
        true,
        written);
  }

  /** Residual over- or underflow of a transfer against the initiator's expected length. */
  record Residual(boolean overflow, boolean underflow, int count) {
    static Residual of(int expected, long actual) {
      if (actual > expected) {
        return new Residual(true, false, (int) Math.min(actual - expected, Integer.MAX_VALUE));
      }
      if (actual < expected) {
        return new Residual(false, true, (int) (expected - actual));
      }
      return new Residual(false, false, 0);
    }
  }
}
