package dev.lunar.agent.iscsi.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Collects the Data-Out of one write command (immediate data, unsolicited and solicited Data-Out
 * PDUs) into one buffer of the expected transfer length. Every piece is checked against that length
 * before it is copied, so an initiator cannot make the target buffer more than it announced.
 */
final class WriteBuffer {

  private final ByteBuf buffer;
  private final int expectedLength;
  private final TransferBudget budget;
  private int received;
  private boolean budgetReturned;

  /** A buffer whose {@code expectedLength} bytes the caller already reserved in {@code budget}. */
  WriteBuffer(ByteBufAllocator alloc, int expectedLength, TransferBudget budget) {
    this.expectedLength = expectedLength;
    this.budget = budget;
    this.buffer = alloc.buffer(expectedLength, expectedLength);
    buffer.writerIndex(expectedLength);
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
    return buffer;
  }

  void release() {
    if (buffer.refCnt() > 0) {
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
