package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Reads the data segment of a large Data-Out, or the immediate data of a large write command,
 * straight into the write buffer it belongs to: the channel's receive-buffer allocator, which
 * {@link PduDecoder} points at that buffer once it has the PDU's header and the session has
 * accepted it. The socket's bytes then land where the write command will take them from, instead of
 * being read into a receive buffer, merged into the decoder's cumulation (often more than once, as
 * it grows) and copied into the write buffer: for a 1 MiB write, three copies of the data in user
 * space become none (bench/profile.sh seqwrite-1m-qd8).
 *
 * <p>Between placements it hands out the adaptive buffers Netty would, except that the read right
 * after a placed segment asks for one header only, so that the next Data-Out's data is placed from
 * its first byte rather than read into an ordinary buffer with the header. One instance per
 * channel, used on its event loop only.
 */
public final class DataPlacement implements RecvByteBufAllocator {

  /** Where the session wants a data segment put; null to decode it as usual. */
  @FunctionalInterface
  public interface Placer {
    /**
     * A buffer of exactly {@code length} writable bytes (writer index 0) for the data of the
     * Data-Out described, which the session has checked it will accept; or null. The decoder fills
     * it and hands it on as the PDU's data, which the session recognises as already placed.
     */
    ByteBuf place(int itt, int ttt, int dataSn, int bufferOffset, int length);

    /**
     * The same for the immediate data of a write command ({@code expectedLength} its Expected Data
     * Transfer Length): a buffer the session has set aside, and reserved, for that command; or null
     * (the default), when the command will not be accepted as it stands or cannot be given room
     * yet.
     */
    default ByteBuf placeImmediateData(int itt, int expectedLength, int length) {
      return null;
    }
  }

  private final RecvByteBufAllocator ordinary;
  private ByteBuf target;
  private ByteBuf handedOut;
  private int headerRead;

  public DataPlacement() {
    this(new AdaptiveRecvByteBufAllocator());
  }

  DataPlacement(RecvByteBufAllocator ordinary) {
    this.ordinary = ordinary;
  }

  /** Directs the next reads into {@code target}'s writable bytes until it is full. */
  void start(ByteBuf target) {
    this.target = target;
  }

  /**
   * Takes what a read brought for the target: true when {@code in} is the buffer this allocator
   * handed out for it (its bytes are already in place: they only advance the target's writer
   * index); false for any other buffer, whose bytes the caller copies.
   */
  boolean arrived(ByteBuf in) {
    if (target == null || in != handedOut) {
      return false;
    }
    handedOut = null;
    int n = in.readableBytes();
    target.writerIndex(target.writerIndex() + n);
    in.skipBytes(n);
    return true;
  }

  /** The placement ends (the segment is complete, or the decoder gave up on it). */
  void stop(int nextHeaderLength) {
    target = null;
    handedOut = null;
    headerRead = nextHeaderLength;
  }

  boolean placing() {
    return target != null;
  }

  @Override
  public Handle newHandle() {
    return new PlacingHandle((ExtendedHandle) ordinary.newHandle());
  }

  private final class PlacingHandle implements ExtendedHandle {
    private final ExtendedHandle delegate;

    PlacingHandle(ExtendedHandle delegate) {
      this.delegate = delegate;
    }

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
      if (target != null && target.isWritable()) {
        handedOut = target.retainedSlice(target.writerIndex(), target.writableBytes()).clear();
        return handedOut;
      }
      if (headerRead > 0) {
        int length = headerRead;
        headerRead = 0;
        return alloc.ioBuffer(length, length);
      }
      return delegate.allocate(alloc);
    }

    @Override
    public int guess() {
      return delegate.guess();
    }

    @Override
    public void reset(ChannelConfig config) {
      delegate.reset(config);
    }

    @Override
    public void incMessagesRead(int numMessages) {
      delegate.incMessagesRead(numMessages);
    }

    @Override
    public void lastBytesRead(int bytes) {
      delegate.lastBytesRead(bytes);
    }

    @Override
    public int lastBytesRead() {
      return delegate.lastBytesRead();
    }

    @Override
    public void attemptedBytesRead(int bytes) {
      delegate.attemptedBytesRead(bytes);
    }

    @Override
    public int attemptedBytesRead() {
      return delegate.attemptedBytesRead();
    }

    @Override
    public boolean continueReading() {
      return delegate.continueReading();
    }

    @Override
    public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
      return delegate.continueReading(maybeMoreDataSupplier);
    }

    @Override
    public void readComplete() {
      delegate.readComplete();
    }
  }
}
