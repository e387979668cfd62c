package dev.lunar.agent.iscsi.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Collects the Data-Out of one write command (immediate data, unsolicited and solicited Data-Out
 * PDUs) into one buffer of the expected transfer length. Every piece is checked against that length
 * before it is copied, so an initiator cannot make the target buffer more than it announced.
 */
final class WriteBuffer {

  private final ByteBufAllocator alloc;
  private final int expectedLength;
  private final TransferBudget budget;
  private ByteBuf buffer;
  private int received;
  private boolean adopted;
  private boolean released;
  private boolean budgetReturned;

  /** A buffer whose {@code expectedLength} bytes the caller already reserved in {@code budget}. */
  WriteBuffer(ByteBufAllocator alloc, int expectedLength, TransferBudget budget) {
    this.alloc = alloc;
    this.expectedLength = expectedLength;
    this.budget = budget;
    this.buffer = alloc.buffer(expectedLength, expectedLength);
    buffer.writerIndex(expectedLength);
  }

  private WriteBuffer(ByteBufAllocator alloc, ByteBuf whole, TransferBudget budget) {
    this.alloc = alloc;
    this.expectedLength = whole.readableBytes();
    this.budget = budget;
    this.buffer = whole;
    this.received = expectedLength;
    this.adopted = true;
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
   * outside the expected transfer length.
   */
  boolean put(int offset, ByteBuf data) {
    int length = data.readableBytes();
    if (offset < 0 || length > expectedLength - offset) {
      return false;
    }
    own(); // never write into the inbound buffer
    buffer.setBytes(offset, data, data.readerIndex(), length);
    received += length;
    return true;
  }

  int received() {
    return received;
  }

  int expectedLength() {
    return expectedLength;
  }

  boolean complete() {
    return received >= expectedLength;
  }

  /** The collected data; the caller takes ownership. */
  ByteBuf take() {
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
      budget.release(expectedLength);
    }
  }
}
