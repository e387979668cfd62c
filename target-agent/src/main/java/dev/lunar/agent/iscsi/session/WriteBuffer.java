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
  private int received;

  WriteBuffer(ByteBufAllocator alloc, int expectedLength) {
    this.expectedLength = expectedLength;
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
  }
}
