package dev.lunar.agent.iscsi.pdu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Malformed input: framing errors close the stream, per-PDU errors yield {@link InvalidPdu}. */
class PduDecoderMalformedTest {

  /** NOP-Out BHS claiming a data segment of 2^24-1 bytes (16 MiB). */
  private static final String NOP_OUT_CLAIMING_16_MIB =
      """
      40 80 00 00  00 ff ff ff            // DSL 0xffffff
      00 00 00 00 00 00 00 00
      00 00 00 10  ff ff ff ff
      00 00 00 21  00 00 00 33
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
      """;

  /** SCSI Command BHS claiming TotalAHSLength of 0x41 words (260 bytes). */
  private static final String SCSI_COMMAND_WITH_260_BYTE_AHS =
      """
      01 c1 00 00  41 00 00 00            // TotalAHSLength 0x41
      00 00 00 00 00 00 00 00
      00 00 00 2a  00 00 10 00
      00 00 01 00  00 00 02 00
      28 00 00 00 00 08 00 00 08 00 00 00 00 00 00 00
      """;

  /** Logout request carrying 4 bytes of data, which its kind never has. */
  private static final String LOGOUT_WITH_STRAY_DATA =
      """
      46 80 00 00  00 00 00 04
      00 00 00 00 00 00 00 00
      00 00 00 50  00 02 00 00
      00 00 01 03  00 00 02 02
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
      01 02 03 04
      """;

  private final PduDecoder decoder = new PduDecoder();
  private final TrackedChannel channel = new TrackedChannel(decoder);

  @BeforeAll
  static void paranoidLeakDetection() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @AfterEach
  void everythingReleased() {
    channel.assertAllReleased();
  }

  private static byte[] digest(byte[] bytes, int from, int length) {
    int crc = new Crc32c().update(Unpooled.wrappedBuffer(bytes), from, length).value();
    return Unpooled.buffer(4).writeIntLE(crc).array();
  }

  /**
   * NOP-Out "ping!" framed with both digests; {@code corrupt} flips one bit of the given digest.
   */
  private static ByteBuf nopOutWithDigests(boolean corruptHeader, boolean corruptData) {
    byte[] bhs =
        Hex.bytes(
            """
            00 80 00 00  00 00 00 05            // DSL 5
            00 00 00 00 00 00 00 00
            00 00 00 11  ff ff ff ff
            00 00 00 22  00 00 00 33
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            """);
    byte[] data = Hex.bytes("70 69 6e 67 21 00 00 00"); // "ping!" + pad
    byte[] headerDigest = digest(bhs, 0, bhs.length);
    byte[] dataDigest = digest(data, 0, data.length);
    headerDigest[0] ^= (byte) (corruptHeader ? 1 : 0);
    dataDigest[3] ^= (byte) (corruptData ? 0x80 : 0);
    return Unpooled.wrappedBuffer(bhs, headerDigest, data, dataDigest);
  }

  @Test
  void dataSegmentOverTheLimitFailsOnTheBhsAloneWithoutAllocating() {
    channel.config().setAllocator(new RefusingAllocator());
    assertThatThrownBy(() -> channel.writeInbound(Hex.buf(NOP_OUT_CLAIMING_16_MIB)))
        .isInstanceOf(PduFramingException.class)
        .hasMessageContaining("16777215")
        .extracting(e -> ((PduFramingException) e).kind())
        .isEqualTo(PduFramingException.Kind.DATA_SEGMENT_TOO_LONG);
    assertThat(decoder.state()).isEqualTo(PduDecoder.State.BAD_PDU);
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void dataSegmentOneByteOverTheLoginLimitFails() {
    String justOver = NOP_OUT_CLAIMING_16_MIB.replace("00 ff ff ff", "00 00 20 01");
    assertThatThrownBy(() -> channel.writeInbound(Hex.buf(justOver)))
        .isInstanceOf(PduFramingException.class)
        .hasMessageContaining("8193");
  }

  @Test
  void raisedLimitAcceptsLargerSegments() {
    decoder.maxRecvDataSegmentLength(65536);
    byte[] nop = Hex.bytes(NOP_OUT_CLAIMING_16_MIB.replace("00 ff ff ff", "00 01 00 00"));
    assertThat(channel.writeInbound(Unpooled.wrappedBuffer(nop, new byte[65536]))).isTrue();
    NopOut pdu = channel.readInbound();
    assertThat(pdu.data().readableBytes()).isEqualTo(65536);
    pdu.data().release();
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void ahsOverTheCapFails() {
    assertThatThrownBy(() -> channel.writeInbound(Hex.buf(SCSI_COMMAND_WITH_260_BYTE_AHS)))
        .isInstanceOf(PduFramingException.class)
        .hasMessageContaining("TotalAHSLength")
        .extracting(e -> ((PduFramingException) e).kind())
        .isEqualTo(PduFramingException.Kind.AHS_TOO_LONG);
    assertThat(decoder.state()).isEqualTo(PduDecoder.State.BAD_PDU);
  }

  @Test
  void validDigestsDecode() {
    decoder.headerDigest(true);
    decoder.dataDigest(true);
    assertThat(channel.writeInbound(nopOutWithDigests(false, false))).isTrue();
    NopOut nop = channel.readInbound();
    assertThat(nop.itt()).isEqualTo(0x11);
    assertThat(nop.data().toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ping!");
    nop.data().release();
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void badHeaderDigestLosesFramingAndDiscardsEverythingAfter() {
    decoder.headerDigest(true);
    decoder.dataDigest(true);
    assertThatThrownBy(() -> channel.writeInbound(nopOutWithDigests(true, false)))
        .isInstanceOf(PduFramingException.class)
        .hasMessageContaining("header digest")
        .extracting(e -> ((PduFramingException) e).kind())
        .isEqualTo(PduFramingException.Kind.HEADER_DIGEST_MISMATCH);
    assertThat(decoder.state()).isEqualTo(PduDecoder.State.BAD_PDU);
    assertThat(channel.writeInbound(nopOutWithDigests(false, false))).isFalse();
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void badDataDigestYieldsInvalidPduAndTheConnectionCarriesOn() {
    decoder.headerDigest(true);
    decoder.dataDigest(true);
    ByteBuf twoPdus =
        Unpooled.wrappedBuffer(nopOutWithDigests(false, true), nopOutWithDigests(false, false));
    assertThat(channel.writeInbound(twoPdus)).isTrue();

    InvalidPdu invalid = channel.readInbound();
    assertThat(invalid.opcodeOrNull()).isEqualTo(Opcode.NOP_OUT);
    assertThat(invalid.itt()).isEqualTo(0x11);
    assertThat(invalid.rejectReason()).isEqualTo(RejectReason.DATA_DIGEST_ERROR.value());
    assertThat(invalid.reason()).contains("data digest");
    invalid.data().release();

    NopOut next = channel.readInbound();
    assertThat(next.data().readableBytes()).isEqualTo(5);
    next.data().release();
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void strayDataOnAKindWithoutDataSegmentIsDropped() {
    assertThat(channel.writeInbound(Hex.buf(LOGOUT_WITH_STRAY_DATA))).isTrue();
    LogoutRequest logout = channel.readInbound();
    assertThat(logout.itt()).isEqualTo(0x50);
    assertThat(logout.data()).isSameAs(Unpooled.EMPTY_BUFFER);
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void closingMidPduReleasesWhatTheDecoderHeld() {
    ByteBuf partial = Hex.buf(InitiatorFixtures.SCSI_WRITE_10_IMMEDIATE_DATA);
    partial.writerIndex(52);
    assertThat(channel.writeInbound(partial)).isFalse();
    assertThat(decoder.state()).isEqualTo(PduDecoder.State.READ_DATA);
    assertThat(channel.finishAndReleaseAll()).isFalse();
    assertThat(partial.refCnt()).isZero();
  }

  @Test
  void limitBelowTheRfcMinimumIsRefused() {
    assertThatThrownBy(() -> decoder.maxRecvDataSegmentLength(511))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Fails the test on any allocation through the channel's allocator. */
  private static final class RefusingAllocator extends AbstractByteBufAllocator {
    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      throw new AssertionError("allocated " + initialCapacity + " bytes");
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      throw new AssertionError("allocated " + initialCapacity + " bytes");
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }
  }
}
