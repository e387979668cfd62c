package dev.lunar.agent.iscsi.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Collects the Data-Out of one write command (immediate data, unsolicited and solicited Data-Out
 * PDUs) into one buffer of the expected transfer length. Every piece is checked against that length
 * before it is copied, so an initiator cannot make the target buffer more than it announced.
 *
 * <p>A buffer is normally granted from the start: its whole length is reserved in the budget. One
 * made by {@link #waiting} is not yet: it keeps only the data that came with the command until its
 * connection has room for the rest ({@link #grant}), or the daemon has none ({@link #refuse}).
 */
final class WriteBuffer {

  private final ByteBufAllocator alloc;
  private final int expectedLength;
  private final TransferBudget budget;
  private ByteBuf buffer;
  private int received;
  private int reserved;
  private boolean granted = true;
  private boolean refused;
  private boolean shareReleased;
  private boolean adopted;
  private boolean released;
  private boolean budgetReturned;
  private ByteBuf placed;
  private int placedOffset;

  /** A buffer whose {@code expectedLength} bytes the caller already reserved in {@code budget}. */
  WriteBuffer(ByteBufAllocator alloc, int expectedLength, TransferBudget budget) {
    this.alloc = alloc;
    this.expectedLength = expectedLength;
    this.budget = budget;
    this.reserved = expectedLength;
    this.buffer = wholeBuffer(alloc, expectedLength);
  }

  private WriteBuffer(ByteBufAllocator alloc, ByteBuf whole, TransferBudget budget) {
    this.alloc = alloc;
    this.expectedLength = whole.readableBytes();
    this.budget = budget;
    this.reserved = expectedLength;
    this.buffer = whole;
    this.received = expectedLength;
    this.adopted = true;
  }

  private WriteBuffer(
      ByteBufAllocator alloc, int expectedLength, ByteBuf arrived, TransferBudget budget) {
    this.alloc = alloc;
    this.expectedLength = expectedLength;
    this.budget = budget;
    this.buffer = arrived;
    this.received = arrived.readableBytes();
    this.reserved = received;
    this.granted = false;
  }

  private static ByteBuf wholeBuffer(ByteBufAllocator alloc, int expectedLength) {
    ByteBuf whole = alloc.buffer(expectedLength, expectedLength);
    whole.writerIndex(expectedLength);
    return whole;
  }

  /**
   * A write that waits for room before any more of its data is asked for: keeps a copy of {@code
   * immediate}, whose bytes the caller already reserved in {@code budget}.
   */
  static WriteBuffer waiting(
      ByteBufAllocator alloc, int expectedLength, ByteBuf immediate, TransferBudget budget) {
    int length = immediate.readableBytes();
    ByteBuf copy = alloc.buffer(length, length);
    copy.writeBytes(immediate, immediate.readerIndex(), length);
    return new WriteBuffer(alloc, expectedLength, copy, budget);
  }

  /** Whether the whole transfer is reserved, so that its data may be asked for and collected. */
  boolean granted() {
    return granted;
  }

  /** The bytes a waiting write needs reserved before {@link #grant}: those not yet here. */
  int missing() {
    return expectedLength - received;
  }

  /** A waiting write gets its room: the caller reserved {@link #missing()} more bytes. */
  void grant() {
    if (received < expectedLength) {
      ByteBuf whole = wholeBuffer(alloc, expectedLength);
      whole.setBytes(0, buffer, buffer.readerIndex(), received);
      buffer.release();
      buffer = whole;
    }
    reserved = expectedLength;
    granted = true;
  }

  /**
   * A waiting write the daemon has no room for: its data goes, and it counts as complete without
   * any, so that it is answered (TASK SET FULL) in its turn.
   */
  void refuse() {
    refused = true;
    release();
  }

  /**
   * True once, for a granted buffer whose data is gone: its length then leaves its connection's
   * share of write reservations. On the event loop.
   */
  boolean releaseShare() {
    if (!granted || shareReleased) {
      return false;
    }
    shareReleased = true;
    return true;
  }

  /** Whether the data was released or taken. */
  boolean released() {
    return released;
  }

  /**
   * Collects a write whose immediate data is the whole transfer (the usual small write) without
   * allocating or copying: the data segment, a slice of the connection's inbound buffer, is kept
   * (retained) as it is. {@link #own} copies it out before the command waits for long, so that a
   * queued command does not pin the inbound buffer.
   */
  static WriteBuffer adopt(ByteBufAllocator alloc, ByteBuf immediate, TransferBudget budget) {
    return new WriteBuffer(alloc, immediate.retain(), budget);
  }

  /** Replaces an adopted slice of the inbound buffer with a copy of its own. */
  void own() {
    if (!adopted || released) {
      return;
    }
    ByteBuf copy = alloc.buffer(expectedLength, expectedLength);
    copy.writeBytes(buffer, buffer.readerIndex(), expectedLength);
    buffer.release();
    buffer = copy;
    adopted = false;
  }

  /**
   * Copies {@code data} to {@code offset}. Returns false, copying nothing, when the piece falls
   * outside the expected transfer length. The slice {@link #placement} last made for that offset is
   * taken as it is: its bytes are already in place.
   */
  boolean put(int offset, ByteBuf data) {
    int length = data.readableBytes();
    if (!granted || released || offset < 0 || length > expectedLength - offset) {
      return false;
    }
    if (data == placed && placedOffset == offset) {
      placed = null;
    } else {
      own(); // never write into the inbound buffer
      buffer.setBytes(offset, data, data.readerIndex(), length);
    }
    received += length;
    return true;
  }

  /**
   * A slice of {@code length} writable bytes at {@code offset} (writer index 0) for the data of a
   * Data-Out to be read into directly; {@link #put} with that slice then counts it without a copy.
   * Null when no data may go there (a buffer not granted, released, or adopted).
   */
  ByteBuf placement(int offset, int length) {
    if (!granted || released || adopted || offset < 0 || length > expectedLength - offset) {
      return null;
    }
    placed = buffer.retainedSlice(offset, length).clear();
    placedOffset = offset;
    return placed;
  }

  int received() {
    return received;
  }

  int expectedLength() {
    return expectedLength;
  }

  boolean complete() {
    return refused || granted && received >= expectedLength;
  }

  /** The collected data, which the caller then owns; null for a refused write. */
  ByteBuf take() {
    if (refused) {
      return null;
    }
    released = true;
    return buffer;
  }

  /** Releases the data unless it was taken, and gives the reservation back. */
  void release() {
    if (!released) {
      released = true;
      buffer.release();
    }
    returnBudget();
  }

  /** Gives the reservation back, once, when the data is gone (released, or written by the unit). */
  synchronized void returnBudget() {
    if (!budgetReturned) {
      budgetReturned = true;
      budget.release(reserved);
    }
  }
}
