package dev.lunar.agent.iscsi.pdu;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link EmbeddedChannel} that remembers every buffer written into it or allocated through it,
 * so a test can prove the handlers released all of them (a retained slice kept alive anywhere would
 * keep its parent's reference count above zero).
 */
final class TrackedChannel extends EmbeddedChannel {

  private final List<ByteBuf> buffers = new ArrayList<>();

  TrackedChannel(ChannelHandler... handlers) {
    super(handlers);
    config().setAllocator(new TrackingAllocator(buffers));
  }

  @Override
  public boolean writeInbound(Object... msgs) {
    for (Object msg : msgs) {
      if (msg instanceof ByteBuf buf) {
        buffers.add(buf);
      }
    }
    return super.writeInbound(msgs);
  }

  /** Closes the channel, drops unread messages, and checks that nothing it saw is still held. */
  void assertAllReleased() {
    finishAndReleaseAll();
    for (ByteBuf buf : buffers) {
      assertThat(buf.refCnt()).as("reference count of %s", buf).isZero();
    }
  }

  private static final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> allocated;

    TrackingAllocator(List<ByteBuf> allocated) {
      this.allocated = allocated;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      return track(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }

    private ByteBuf track(ByteBuf buf) {
      allocated.add(buf);
      return buf;
    }
  }
}
