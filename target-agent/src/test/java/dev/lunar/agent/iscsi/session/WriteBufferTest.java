package dev.lunar.agent.iscsi.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
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

  /** A waiting write of 4096 bytes whose first 512 (bytes of 4) came with the command. */
  private WriteBuffer waiting() {
    ByteBuf immediate = inbound(512, 4);
    assertTrue(budget.tryAcquire(512));
    WriteBuffer buffer = WriteBuffer.waiting(alloc, 4096, immediate, budget);
    immediate.release();
    return buffer;
  }

  @Test
  void aWaitingWriteKeepsOnlyWhatArrivedUntilGrantedThenCollectsTheRest() {
    WriteBuffer buffer = waiting();
    assertFalse(buffer.granted());
    assertFalse(buffer.complete());
    ByteBuf piece = inbound(512, 6);
    assertFalse(buffer.put(512, piece), "no data is taken before the grant");
    assertEquals(3584, buffer.missing());

    assertTrue(budget.tryAcquire(buffer.missing()));
    buffer.grant();
    assertTrue(buffer.put(512, piece));
    ByteBuf rest = inbound(3072, 8);
    assertTrue(buffer.put(1024, rest));
    rest.release();
    assertTrue(buffer.complete());
    ByteBuf taken = buffer.take();
    assertEquals(4, taken.getByte(0));
    assertEquals(6, taken.getByte(512));
    assertEquals(8, taken.getByte(4095));
    taken.release();
    piece.release();
    buffer.returnBudget();
    assertEquals(0, budget.used());
    assertTrue(buffer.releaseShare());
    assertFalse(buffer.releaseShare(), "once");
  }

  @Test
  void aRefusedWaitingWriteIsCompleteWithoutDataAndGivesItsBytesBack() {
    WriteBuffer buffer = waiting();
    buffer.refuse();
    assertTrue(buffer.complete());
    assertNull(buffer.take());
    assertEquals(0, budget.used());
    assertFalse(buffer.releaseShare(), "never granted: never counted in a connection's share");
  }

  @Test
  void aPlacedSliceIsCountedWithoutACopyAndOthersAreCopied() {
    assertTrue(budget.tryAcquire(8192));
    WriteBuffer buffer = new WriteBuffer(alloc, 8192, budget);
    ByteBuf placed = buffer.placement(4096, 4096);
    assertEquals(0, placed.writerIndex());
    placed.writeBytes(inbound(4096, 9));
    assertTrue(buffer.put(4096, placed));
    placed.release();
    ByteBuf other = inbound(4096, 3);
    assertTrue(buffer.put(0, other));
    other.release();
    assertTrue(buffer.complete());
    ByteBuf taken = buffer.take();
    assertEquals(3, taken.getByte(0));
    assertEquals(9, taken.getByte(4096));
    assertEquals(9, taken.getByte(8191));
    taken.release();
    buffer.returnBudget();
  }

  @Test
  void noPlacementOutsideTheTransferOrIntoAnAdoptedBuffer() {
    assertTrue(budget.tryAcquire(8192));
    WriteBuffer buffer = new WriteBuffer(alloc, 8192, budget);
    assertNull(buffer.placement(4096, 8192));
    assertNull(buffer.placement(-512, 512));
    buffer.release();
    assertNull(buffer.placement(0, 512), "released");
    ByteBuf immediate = inbound(512, 1);
    WriteBuffer adopted = adopted(immediate);
    assertNull(adopted.placement(0, 512));
    adopted.release();
    immediate.release();
  }
}
