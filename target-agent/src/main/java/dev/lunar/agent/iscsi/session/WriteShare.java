package dev.lunar.agent.iscsi.session;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * One connection's share of the daemon's transfer budget for write data, and the writes waiting for
 * room in it. Confined to the connection's event loop, like the {@link CommandFlow} that owns it.
 */
final class WriteShare {

  /**
   * The most write data one connection may have reserved at once, unless it is a single command's:
   * a quarter of the daemon's transfer budget, as for unsent answers. An initiator that announces
   * writes and never sends their data would otherwise take the whole budget (two 32 MiB writes) and
   * every other initiator would get TASK SET FULL; with this share, one such connection leaves at
   * least half the budget to the others (the read share is separate: reads must never wait on
   * writes, or a held read and the write behind it could wait on each other). A writer that keeps
   * its data coming is not slowed: eight 1 MiB writes in flight need half of the share, and writes
   * beyond it only wait for their R2T until earlier ones have run.
   */
  static final long MAX_WRITE_BYTES = TransferBudget.DEFAULT_BYTES / 4;

  private final Connection connection;
  private final TransferBudget budget;
  private final Consumer<ScsiTask> turn;

  /**
   * Writes beyond {@link #MAX_WRITE_BYTES}, in arrival order: no R2T is sent for them until earlier
   * writes of this connection give their reservations back. Each keeps its CmdSN window slot, so an
   * initiator that does not send its data soon runs out of window (its MaxCmdSN stops moving) while
   * other initiators' writes go on. A waiting write keeps only the immediate data that came with it
   * (at most FirstBurstLength, reserved in the budget); one whose unsolicited Data-Out is on its
   * way cannot wait and is answered TASK SET FULL instead (only with InitialR2T=No, which Lunar
   * does not offer by default).
   */
  private final Queue<ScsiTask> waiting = new ArrayDeque<>();

  /** Write data this connection has reserved: granted write buffers not yet run or released. */
  private long reservedBytes;

  private boolean granting;

  /**
   * A granted buffer set aside for the immediate data of the write command being read, with that
   * data read straight into it ({@link #placeImmediate}); its command, decoded next, takes it.
   */
  private WriteBuffer placed;

  private int placedItt;

  /**
   * @param turn called for a waiting write when it is granted (it may now ask for its data) or
   *     refused (the daemon has no room: it ends with TASK SET FULL)
   */
  WriteShare(Connection connection, TransferBudget budget, Consumer<ScsiTask> turn) {
    this.connection = connection;
    this.budget = budget;
    this.turn = turn;
  }

  /**
   * A buffer for a write of {@code edtl} bytes: the one set aside for this command's immediate
   * data, if any; granted when this connection's share has room (and no earlier write waits), else
   * waiting with the data that came along; null when the daemon has no room, or when the write
   * cannot wait because unsolicited data for it is on its way.
   */
  WriteBuffer buffer(int itt, int edtl, ByteBuf immediate, boolean unsolicitedFollows) {
    if (placed != null && placedItt == itt && placed.expectedLength() == edtl) {
      WriteBuffer buffer = placed;
      placed = null;
      buffer.put(0, immediate); // the placed slice itself: counted, not copied
      return buffer;
    }
    discardPlaced();
    if (hasRoomNow(edtl)) {
      if (!reserve(edtl)) {
        return null;
      }
      if (immediate.readableBytes() == edtl) {
        return WriteBuffer.adopt(connection.channel().alloc(), immediate, budget);
      }
      WriteBuffer buffer = new WriteBuffer(connection.channel().alloc(), edtl, budget);
      buffer.put(0, immediate);
      return buffer;
    }
    if (unsolicitedFollows || !budget.tryAcquire(immediate.readableBytes())) {
      return null;
    }
    return WriteBuffer.waiting(connection.channel().alloc(), edtl, immediate, budget);
  }

  /**
   * Sets a granted buffer aside for the write command {@code itt}, whose {@code length} bytes of
   * immediate data are about to be read: returns the slice they go to, or null when this share or
   * the daemon has no room now (the command then goes the usual way when it is whole).
   */
  ByteBuf placeImmediate(int itt, int edtl, int length) {
    discardPlaced();
    if (!hasRoomNow(edtl) || !reserve(edtl)) {
      return null;
    }
    placed = new WriteBuffer(connection.channel().alloc(), edtl, budget);
    placedItt = itt;
    return placed.placement(0, length);
  }

  /** Gives back the buffer set aside for immediate data, when its command did not take it. */
  void discardPlaced() {
    if (placed != null) {
      WriteBuffer buffer = placed;
      placed = null;
      buffer.release();
      leaveShare(buffer);
    }
  }

  /** Queues a task whose write buffer is waiting for room, behind the ones already waiting. */
  void queueIfWaiting(ScsiTask task) {
    if (task.writeBuffer() != null && !task.writeBuffer().granted()) {
      waiting.add(task);
    }
  }

  /** Releases a task's write data that will not run, and its share. */
  void release(ScsiTask task) {
    if (task.writeBuffer() != null) {
      task.writeBuffer().release();
      done(task);
    }
  }

  /**
   * A task's write data is gone (run, or released): its reservation leaves this connection's share,
   * and waiting writes may get room.
   */
  void done(ScsiTask task) {
    WriteBuffer buffer = task.writeBuffer();
    if (buffer != null) {
      leaveShare(buffer);
    }
  }

  private void leaveShare(WriteBuffer buffer) {
    if (buffer.releaseShare()) {
      reservedBytes -= buffer.expectedLength();
    }
    if (!waiting.isEmpty()) {
      grantWaiting();
    }
  }

  /** Whether this connection holds write reservations at all (a cheap test before a scan). */
  boolean reserved() {
    return reservedBytes != 0;
  }

  /** Whether a new write of {@code edtl} bytes may be granted at once: none waits, and it fits. */
  private boolean hasRoomNow(int edtl) {
    return waiting.isEmpty() && hasRoom(edtl);
  }

  /** Reserves a granted write of {@code edtl} bytes in the daemon's budget and this share. */
  private boolean reserve(int edtl) {
    if (!budget.tryAcquire(edtl)) {
      return false;
    }
    reservedBytes += edtl;
    return true;
  }

  private boolean hasRoom(int edtl) {
    return reservedBytes == 0 || reservedBytes + edtl <= MAX_WRITE_BYTES;
  }

  /**
   * Grants waiting writes, oldest first, for as long as this connection's share has room: each then
   * asks for its data. One the daemon has no room for is refused (TASK SET FULL in its turn): no
   * other connection would wake it when room appears.
   */
  private void grantWaiting() {
    if (granting) {
      return; // called back from a write this loop granted and ran; the loop goes on by itself
    }
    granting = true;
    try {
      ScsiTask task;
      while ((task = waiting.peek()) != null && connection.channel().isActive()) {
        WriteBuffer buffer = task.writeBuffer();
        if (buffer.released()) {
          waiting.poll(); // aborted, or dropped by the window, while it waited
          continue;
        }
        if (!hasRoom(buffer.expectedLength())) {
          return;
        }
        waiting.poll();
        if (budget.tryAcquire(buffer.missing())) {
          reservedBytes += buffer.expectedLength();
          buffer.grant();
        } else {
          buffer.refuse();
        }
        turn.accept(task);
      }
    } finally {
      granting = false;
    }
  }
}
