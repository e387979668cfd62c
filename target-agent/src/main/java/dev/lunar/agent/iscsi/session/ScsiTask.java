package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.iscsi.pdu.ScsiCommand;
import dev.lunar.agent.scsi.LogicalUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * One SCSI command in flight: from its Command PDU through Data-Out collection and R2Ts to its last
 * response. State changes happen on the owning connection's event loop; {@link #finished()}
 * completes when nothing more will be sent for it, which task management waits on.
 */
final class ScsiTask {

  /** One R2T sent and not yet satisfied, with the DataSN its next Data-Out must carry. */
  static final class OpenR2t {
    final int ttt;
    final int offset;
    final int length;
    int nextDataSn;

    OpenR2t(int ttt, int offset, int length) {
      this.ttt = ttt;
      this.offset = offset;
      this.length = length;
    }
  }

  private final Connection connection;
  private final ScsiCommand command;
  private final int lun;
  private final LogicalUnit unit;
  private final WriteBuffer writeBuffer;
  private final Deque<OpenR2t> openR2ts = new ArrayDeque<>();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private int nextR2tOffset;
  private int r2tSn;
  private int dataSn;
  private int unsolicitedDataSn;
  private boolean unsolicitedDone;
  private boolean delivered;
  private boolean started;
  private volatile boolean aborted;
  private boolean windowSlotReleased;

  ScsiTask(Connection connection, ScsiCommand command, int lun, LogicalUnit unit, WriteBuffer wb) {
    this.connection = connection;
    this.command = command;
    this.lun = lun;
    this.unit = unit;
    this.writeBuffer = wb;
  }

  Connection connection() {
    return connection;
  }

  ScsiCommand command() {
    return command;
  }

  int itt() {
    return command.itt();
  }

  int lun() {
    return lun;
  }

  LogicalUnit unit() {
    return unit;
  }

  /** Null for commands without Data-Out. */
  WriteBuffer writeBuffer() {
    return writeBuffer;
  }

  Deque<OpenR2t> openR2ts() {
    return openR2ts;
  }

  int nextR2tOffset() {
    return nextR2tOffset;
  }

  void nextR2tOffset(int offset) {
    this.nextR2tOffset = offset;
  }

  int takeR2tSn() {
    return r2tSn++;
  }

  /** The DataSN the next unsolicited Data-Out must carry, then advances it. */
  int takeUnsolicitedDataSn() {
    return unsolicitedDataSn++;
  }

  int takeDataSn() {
    return dataSn++;
  }

  /** R2T and Data-In PDUs sent so far: the ExpDataSN of the final response. */
  int pdusSent() {
    return dataSn + r2tSn;
  }

  boolean unsolicitedDone() {
    return unsolicitedDone;
  }

  void unsolicitedDone(boolean done) {
    this.unsolicitedDone = done;
  }

  boolean delivered() {
    return delivered;
  }

  void markDelivered() {
    this.delivered = true;
  }

  /** True once; guards against running a command twice. */
  boolean tryStart() {
    if (started || aborted) {
      return false;
    }
    started = true;
    return true;
  }

  /**
   * Claims a task that has not started so that it never will; false when it is already running (or
   * already claimed).
   */
  boolean claimForAbort() {
    if (started) {
      return false;
    }
    started = true;
    return true;
  }

  /** True the first time only: a delivered command opens its CmdSN window slot once. */
  boolean releaseWindowSlot() {
    if (windowSlotReleased) {
      return false;
    }
    windowSlotReleased = true;
    return true;
  }

  boolean dataComplete() {
    return writeBuffer == null || writeBuffer.complete();
  }

  boolean aborted() {
    return aborted;
  }

  void abort() {
    aborted = true;
  }

  CompletableFuture<Void> finished() {
    return finished;
  }

  @Override
  public String toString() {
    return "ScsiTask[itt=" + Integer.toHexString(itt()) + ", lun=" + lun + "]";
  }
}
