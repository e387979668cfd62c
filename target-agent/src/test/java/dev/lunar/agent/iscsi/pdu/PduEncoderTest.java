package dev.lunar.agent.iscsi.pdu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wire layout written by {@link PduEncoder}: padding, digest placement and byte order, ownership.
 */
class PduEncoderTest {

  /** The NOP-In below as bytes: BHS only. */
  private static final String NOP_IN_BHS =
      """
      20 80 00 00  00 00 00 05            // 0x20, F, AHS 0, DSL 5
      00 00 00 00 00 00 00 00
      00 00 00 11  ff ff ff ff            // ITT, TTT
      00 00 00 07  00 00 00 08            // StatSN, ExpCmdSN
      00 00 00 40  00 00 00 00            // MaxCmdSN
      00 00 00 00 00 00 00 00
      """;

  @TempDir Path dir;

  private final PduEncoder encoder = new PduEncoder();
  private final EmbeddedChannel channel = new EmbeddedChannel(encoder);

  @BeforeAll
  static void paranoidLeakDetection() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @AfterEach
  void nothingLeftOver() {
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  private static NopIn nopIn(ByteBuf data) {
    return new NopIn(0, 0x11, -1, 7, 8, 0x40, data);
  }

  private String encode(Pdu pdu) {
    assertThat(channel.writeOutbound(pdu)).isTrue();
    ByteBuf wire = channel.readOutbound();
    try {
      return Hex.dump(wire);
    } finally {
      wire.release();
    }
  }

  private static String crcOnWire(String hex) {
    int crc = new Crc32c().update(Hex.buf(hex)).value();
    return Hex.dump(Unpooled.buffer(4).writeIntLE(crc));
  }

  @Test
  void padsTheDataSegmentToFourBytes() {
    assertThat(encode(nopIn(Hex.ascii("ping!"))))
        .isEqualTo(Hex.dump(Hex.buf(NOP_IN_BHS)) + "70696e6721" + "000000");
  }

  @Test
  void appendsLittleEndianDigestsAfterHeaderAndPaddedData() {
    encoder.headerDigest(true);
    encoder.dataDigest(true);
    String bhs = Hex.dump(Hex.buf(NOP_IN_BHS));
    String paddedData = "70696e6721000000";
    assertThat(encode(nopIn(Hex.ascii("ping!"))))
        .isEqualTo(bhs + crcOnWire(bhs) + paddedData + crcOnWire(paddedData));
  }

  @Test
  void noDataDigestWithoutData() {
    encoder.dataDigest(true);
    String wire = encode(new TaskManagementResponse(0, 0x13, 1, 2, 3));
    assertThat(wire).hasSize(48 * 2);
  }

  @Test
  void headerDigestCoversTheAhs() {
    encoder.headerDigest(true);
    byte[] cdb = new byte[32];
    cdb[0] = 0x7f;
    String wire =
        encode(
            new ScsiCommand(
                false, true, true, false, 1, 0, 1, 0, 1, 1, cdb, 0, Unpooled.EMPTY_BUFFER));
    int headerLength = 48 + 20;
    assertThat(wire).hasSize((headerLength + 4) * 2);
    assertThat(wire.substring(headerLength * 2))
        .isEqualTo(crcOnWire(wire.substring(0, headerLength * 2)));
    assertThat(wire.substring(8, 10)).as("TotalAHSLength").isEqualTo("05");
  }

  @Test
  void dataSegmentIsHandedOnNotCopied() {
    ByteBuf data = Unpooled.directBuffer(512).writeZero(512);
    assertThat(
            channel.writeOutbound(
                new DataIn(true, false, false, false, true, 0, 0, 1, -1, 1, 2, 3, 0, 0, 0, data)))
        .isTrue();
    ByteBuf wire = channel.readOutbound();
    assertThat(wire.readableBytes()).isEqualTo(48 + 512);
    assertThat(data.refCnt()).as("held by the outgoing frame").isEqualTo(1);
    wire.release();
    assertThat(data.refCnt()).as("released with the frame").isZero();
  }

  private FileRegion fileRegion(int length) throws IOException {
    Path file = dir.resolve("lun.img");
    Files.write(file, new byte[length]);
    return new DefaultFileRegion(file.toFile(), 0, length);
  }

  private static DataIn dataInFromFile(FileRegion region) {
    return DataIn.fromFile(true, false, false, true, 0, 0, 0x21, 5, 6, 7, 0, 0, 0, region);
  }

  @Test
  void fileDataInLeavesAsItsHeaderFollowedByTheRegionItself() throws IOException {
    FileRegion region = fileRegion(8192);
    assertThat(channel.writeOutbound(dataInFromFile(region))).isTrue();
    ByteBuf header = channel.readOutbound();
    try {
      assertThat(header.readableBytes()).isEqualTo(48);
      assertThat(Hex.dump(header.slice(0, 8)))
          .as("F and S set, DSL 8192")
          .isEqualTo("2581000000002000");
    } finally {
      header.release();
    }
    assertThat((Object) channel.readOutbound()).isSameAs(region);
    assertThat(region.refCnt()).as("the channel owns it now").isEqualTo(1);
    region.release();
  }

  @Test
  void fileDataInOfAnOddLengthIsPadded() throws IOException {
    FileRegion region = fileRegion(510);
    assertThat(channel.writeOutbound(dataInFromFile(region))).isTrue();
    ByteBuf header = channel.readOutbound();
    header.release();
    assertThat((Object) channel.readOutbound()).isSameAs(region);
    region.release();
    ByteBuf pad = channel.readOutbound();
    assertThat(Hex.dump(pad)).isEqualTo("0000");
    pad.release();
  }

  @Test
  void fileDataInIsRefusedUnderADataDigestAndReleased() throws IOException {
    encoder.dataDigest(true);
    FileRegion region = fileRegion(4096);
    assertThatThrownBy(() -> channel.writeOutbound(dataInFromFile(region)))
        .isInstanceOf(EncoderException.class);
    assertThat(region.refCnt()).isZero();
  }

  @Test
  void refusesInvalidPduAndReleasesItsHeader() {
    ByteBuf bhs = Hex.buf("1c".repeat(48));
    InvalidPdu invalid = new InvalidPdu(null, 0x1c, 0, bhs, "test", 5);
    assertThatThrownBy(() -> channel.writeOutbound(invalid)).isInstanceOf(EncoderException.class);
    assertThat(bhs.refCnt()).isZero();
  }

  @Test
  void rejectCarriesTheRejectedHeaderAsItsData() {
    String rejected = "01".repeat(48);
    String wire =
        encode(new Reject(RejectReason.DATA_DIGEST_ERROR.value(), 1, 2, 3, 0, Hex.buf(rejected)));
    assertThat(wire.substring(0, 16)).isEqualTo("3f80020000000030");
    assertThat(wire.substring(96)).isEqualTo(rejected);
  }
}
