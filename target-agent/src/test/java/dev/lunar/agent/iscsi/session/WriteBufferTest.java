package dev.lunar.agent.iscsi.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class WriteBufferTest {

  private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
  private final TransferBudget budget = new TransferBudget(1 << 20);

  /** A write of {@code immediate}'s bytes, reserved in the budget, adopting them. */
  private WriteBuffer adopted(ByteBuf immediate) {
    assertTrue(budget.tryAcquire(immediate.readableBytes()));
    return WriteBuffer.adopt(alloc, immediate, budget);
  }

  private static ByteBuf inbound(int length, int fill) {
    ByteBuf buf = Unpooled.buffer(length);
    for (int i = 0; i < length; i++) {
      buf.writeByte(fill);
    }
    return buf;
  }

  @Test
  void wholeImmediateDataIsAdoptedWithoutACopy() {
    ByteBuf immediate = inbound(4096, 7);
    WriteBuffer buffer = adopted(immediate);
    assertTrue(buffer.complete());
    assertEquals(2, immediate.refCnt(), "retained, not copied");
    ByteBuf taken = buffer.take();
    assertSame(immediate, taken);
    taken.release();
    buffer.release(); // taken data is not released twice
    assertEquals(1, immediate.refCnt());
    buffer.returnBudget();
    assertEquals(0, budget.used());
    immediate.release();
  }

  @Test
  void ownCopiesTheAdoptedDataOutOfTheInboundBuffer() {
    ByteBuf immediate = inbound(512, 3);
    WriteBuffer buffer = adopted(immediate);
    buffer.own();
    assertEquals(1, immediate.refCnt(), "the inbound buffer is no longer pinned");
    ByteBuf taken = buffer.take();
    assertNotSame(immediate, taken);
    assertEquals(3, taken.getByte(511));
    taken.release();
    immediate.release();
    buffer.returnBudget();
    assertEquals(0, budget.used());
  }

  @Test
  void aPieceWrittenOverAdoptedDataNeverTouchesTheInboundBuffer() {
    ByteBuf immediate = inbound(512, 3);
    WriteBuffer buffer = adopted(immediate);
    ByteBuf piece = inbound(16, 9);
    assertTrue(buffer.put(0, piece));
    assertEquals(3, immediate.getByte(0), "inbound bytes untouched");
    ByteBuf taken = buffer.take();
    assertEquals(9, taken.getByte(0));
    assertEquals(3, taken.getByte(16));
    taken.release();
    piece.release();
    immediate.release();
    buffer.release();
    assertEquals(0, budget.used());
  }
}
