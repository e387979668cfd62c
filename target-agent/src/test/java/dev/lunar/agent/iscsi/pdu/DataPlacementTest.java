package dev.lunar.agent.iscsi.pdu;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Data-Out segments read into the buffer the session names: whole, drip-fed and followed by another
 * PDU, through the allocator's own buffers (no copy) and through others (copied); and left to the
 * cumulation when the session declines or the segment is small. A write command's immediate data
 * the same way.
 */
class DataPlacementTest {

  private static final int SEGMENT = 64 * 1024;
  private static final int ITT = 0x2a;
  private static final int TTT = 0x77;

  private final DataPlacement placement = new DataPlacement();
  private final PduDecoder decoder = new PduDecoder(placement);
  private final TrackedChannel channel = new TrackedChannel(decoder);
  private final List<String> asked = new ArrayList<>();
  private ByteBuf writeBuffer = Unpooled.directBuffer(2 * SEGMENT).writeZero(2 * SEGMENT);
  private ByteBuf handed;

  @BeforeAll
  static void paranoidLeakDetection() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @BeforeEach
  void largeSegments() {
    decoder.maxRecvDataSegmentLength(262144);
  }

  @AfterEach
  void nothingLeftOver() {
    assertThat(channel.finishAndReleaseAll()).as("unread inbound messages").isFalse();
    writeBuffer.release();
  }

  /** Places every Data-Out at its buffer offset within {@link #writeBuffer}. */
  private void placeIntoWriteBuffer() {
    decoder.placer(
        (itt, ttt, dataSn, offset, length) -> {
          asked.add(itt + "/" + ttt + "/" + dataSn + "/" + offset + "/" + length);
          handed = writeBuffer.retainedSlice(offset, length).clear();
          return handed;
        });
  }

  private static byte[] data(int length, int seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** A Data-Out PDU on the wire: BHS and data segment (whole blocks, so no pad). */
  private static ByteBuf dataOutPdu(int dataSn, int offset, byte[] data) {
    ByteBuf segment = Unpooled.wrappedBuffer(data);
    ByteBuf wire = Unpooled.buffer(48 + data.length);
    new DataOut(true, 1L << 48, ITT, TTT, 5, dataSn, offset, segment).writeBhs(wire);
    return wire.writeBytes(segment);
  }

  private DataOut readDataOut() {
    Object pdu = channel.readInbound();
    assertThat(pdu).isInstanceOf(DataOut.class);
    return (DataOut) pdu;
  }

  private byte[] placedBytes(int offset, int length) {
    byte[] bytes = new byte[length];
    writeBuffer.getBytes(offset, bytes);
    return bytes;
  }

  @Test
  void aWholeDataOutIsDecodedAsUsualEvenWithAPlacer() {
    placeIntoWriteBuffer();
    byte[] bytes = data(SEGMENT, 1);
    channel.writeInbound(dataOutPdu(0, 0, bytes));
    DataOut out = readDataOut();
    assertThat(asked).as("nothing to place: it came whole").isEmpty();
    assertThat(out.data().readableBytes()).isEqualTo(SEGMENT);
    out.data().release();
  }

  @Test
  void aDripFedDataOutIsCopiedIntoPlaceAndHandedOnAsThePlacedSlice() {
    placeIntoWriteBuffer();
    byte[] bytes = data(SEGMENT, 2);
    ByteBuf wire = dataOutPdu(3, SEGMENT, bytes);
    while (wire.isReadable()) {
      channel.writeInbound(wire.readRetainedSlice(Math.min(1000, wire.readableBytes())));
    }
    wire.release();
    assertThat(asked).containsExactly(ITT + "/" + TTT + "/3/" + SEGMENT + "/" + SEGMENT);
    DataOut out = readDataOut();
    assertThat(out.data()).isSameAs(handed);
    assertThat(out.dataSn()).isEqualTo(3);
    assertThat(out.bufferOffset()).isEqualTo(SEGMENT);
    assertThat(placedBytes(SEGMENT, SEGMENT)).isEqualTo(bytes);
    assertThat(placedBytes(0, 16)).as("nothing outside the slice").containsOnly(0);
    out.data().release();
    assertThat(decoder.state()).isEqualTo(PduDecoder.State.READ_BHS);
  }

  @Test
  void readsThroughTheAllocatorLandInPlaceWithoutACopy() {
    placeIntoWriteBuffer();
    byte[] bytes = data(SEGMENT, 3);
    ByteBuf wire = dataOutPdu(0, 0, bytes);
    channel.writeInbound(wire.readRetainedSlice(48 + 100)); // the header and a little data
    RecvByteBufAllocator.Handle handle = placement.newHandle();
    ByteBuf read = handle.allocate(ByteBufAllocator.DEFAULT);
    assertThat(read.writableBytes()).as("exactly the rest of the segment").isEqualTo(SEGMENT - 100);
    read.writeBytes(wire); // what the socket read puts there
    wire.release();
    channel.writeInbound(read);

    DataOut out = readDataOut();
    assertThat(out.data()).isSameAs(handed);
    assertThat(placedBytes(0, SEGMENT)).isEqualTo(bytes);
    out.data().release();
    ByteBuf next = handle.allocate(ByteBufAllocator.DEFAULT);
    assertThat(next.capacity())
        .as("then one header, to place the next segment whole")
        .isEqualTo(48);
    next.release();
  }

  @Test
  void aPduInTheSameReadAsThePlacedDataIsDecodedAfterIt() {
    placeIntoWriteBuffer();
    byte[] first = data(SEGMENT, 4);
    byte[] second = data(1024, 5);
    ByteBuf wire = dataOutPdu(0, 0, first);
    channel.writeInbound(wire.readRetainedSlice(48 + 10));
    ByteBuf rest = Unpooled.wrappedBuffer(wire, dataOutPdu(1, SEGMENT, second));
    channel.writeInbound(rest);
    DataOut placed = readDataOut();
    DataOut small = readDataOut();
    assertThat(placed.data()).isSameAs(handed);
    assertThat(placedBytes(0, SEGMENT)).isEqualTo(first);
    byte[] smallBytes = new byte[1024];
    small.data().getBytes(small.data().readerIndex(), smallBytes);
    assertThat(smallBytes).isEqualTo(second);
    assertThat(asked).as("too small to place").hasSize(1);
    placed.data().release();
    small.data().release();
  }

  @Test
  void aDeclinedSegmentIsCumulatedAndAskedAboutOnce() {
    decoder.placer(
        (itt, ttt, dataSn, offset, length) -> {
          asked.add("declined");
          return null;
        });
    byte[] bytes = data(SEGMENT, 6);
    ByteBuf wire = dataOutPdu(0, 0, bytes);
    while (wire.isReadable()) {
      channel.writeInbound(wire.readRetainedSlice(Math.min(4096, wire.readableBytes())));
    }
    wire.release();
    assertThat(asked).containsExactly("declined");
    DataOut out = readDataOut();
    byte[] got = new byte[SEGMENT];
    out.data().getBytes(out.data().readerIndex(), got);
    assertThat(got).isEqualTo(bytes);
    out.data().release();
  }

  @Test
  void aConnectionClosedMidSegmentReleasesTheSlice() {
    placeIntoWriteBuffer();
    ByteBuf wire = dataOutPdu(0, 0, data(SEGMENT, 7));
    channel.writeInbound(wire.readRetainedSlice(48 + 10));
    wire.release();
    assertThat(decoder.state()).isEqualTo(PduDecoder.State.PLACE_DATA);
    assertThat(handed.refCnt()).isEqualTo(2);
    channel.pipeline().remove(decoder);
    assertThat(handed.refCnt()).as("the decoder's reference went").isEqualTo(1);
  }

  /** A SCSI Command PDU on the wire with {@code data} as its immediate data. */
  private static ByteBuf commandPdu(boolean write, byte[] data) {
    ByteBuf segment = Unpooled.wrappedBuffer(data);
    ByteBuf wire = Unpooled.buffer(48 + data.length);
    new ScsiCommand(
            false,
            true,
            !write,
            write,
            1,
            1L << 48,
            ITT,
            2 * SEGMENT,
            9,
            0,
            new byte[16],
            0,
            segment)
        .writeBhs(wire);
    return wire.writeBytes(segment);
  }

  /** Answers immediate data with the start of {@link #writeBuffer}, and declines Data-Out. */
  private void placeImmediateData() {
    decoder.placer(
        new DataPlacement.Placer() {
          @Override
          public ByteBuf place(int itt, int ttt, int dataSn, int offset, int length) {
            return null;
          }

          @Override
          public ByteBuf placeImmediateData(int itt, int expectedLength, int length) {
            asked.add(itt + "/" + expectedLength + "/" + length);
            handed = writeBuffer.retainedSlice(0, length).clear();
            return handed;
          }
        });
  }

  @Test
  void aWriteCommandsImmediateDataIsPlacedAndHandedOnAsThePlacedSlice() {
    placeImmediateData();
    byte[] bytes = data(SEGMENT, 8);
    ByteBuf wire = commandPdu(true, bytes);
    channel.writeInbound(wire.readRetainedSlice(48 + 10));
    assertThat(decoder.state()).isEqualTo(PduDecoder.State.PLACE_DATA);
    channel.writeInbound(wire);

    assertThat(asked).containsExactly(ITT + "/" + 2 * SEGMENT + "/" + SEGMENT);
    Object pdu = channel.readInbound();
    assertThat(pdu).isInstanceOf(ScsiCommand.class);
    ScsiCommand command = (ScsiCommand) pdu;
    assertThat(command.data()).isSameAs(handed);
    assertThat(command.expectedDataTransferLength()).isEqualTo(2 * SEGMENT);
    assertThat(placedBytes(0, SEGMENT)).isEqualTo(bytes);
    command.data().release();
  }

  /** Sends a command with immediate data in two reads and checks it came through the cumulation. */
  private void assertCumulated(boolean write, byte[] bytes) {
    ByteBuf wire = commandPdu(write, bytes);
    channel.writeInbound(wire.readRetainedSlice(48 + 10));
    assertThat(decoder.state()).isEqualTo(PduDecoder.State.READ_DATA);
    channel.writeInbound(wire);

    assertThat(asked).isEmpty();
    ScsiCommand command = (ScsiCommand) channel.readInbound();
    assertThat(ByteBufUtil.getBytes(command.data())).isEqualTo(bytes);
    command.data().release();
  }

  @Test
  void dataWithACommandThatIsNotAWriteIsNotOfferedForPlacement() {
    placeImmediateData();
    assertCumulated(false, data(SEGMENT, 9));
  }

  @Test
  void aPlacerThatOnlyPlacesDataOutLeavesImmediateDataToTheCumulation() {
    placeIntoWriteBuffer();
    assertCumulated(true, data(SEGMENT, 10));
  }
}
