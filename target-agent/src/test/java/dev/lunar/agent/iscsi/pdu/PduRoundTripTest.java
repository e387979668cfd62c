package dev.lunar.agent.iscsi.pdu;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Encoding any PDU and decoding the bytes yields an equal record, with and without digests. */
class PduRoundTripTest {

  @BeforeAll
  static void paranoidLeakDetection() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  private static ByteBuf text(String s) {
    return Hex.ascii(s);
  }

  private static byte[] cdb32() {
    byte[] cdb = new byte[32];
    cdb[0] = 0x7f;
    for (int i = 1; i < cdb.length; i++) {
      cdb[i] = (byte) i;
    }
    return cdb;
  }

  /** One sample per opcode, built fresh on each call because the encoder consumes data buffers. */
  static List<Supplier<Pdu>> samples() {
    return List.of(
        () -> new NopOut(true, 0x0001_0000_0000_0000L, 7, -1, 10, 20, text("ping")),
        () ->
            new ScsiCommand(
                false,
                true,
                false,
                true,
                1,
                0x0002_0000_0000_0000L,
                0x11,
                512,
                100,
                200,
                Hex.bytes("2a000000000000000100"),
                0,
                text("hello")),
        () ->
            new ScsiCommand(
                true, true, true, true, 2, 0, 0x12, 4096, 101, 201, cdb32(), 8192, text("")),
        () ->
            new TaskManagementRequest(
                true, TaskManagementFunction.ABORT_TASK, 1L << 48, 0x13, 0x11, 102, 202, 100, 0),
        () ->
            new TaskManagementRequest(
                false, TaskManagementFunction.UNKNOWN, 0, 0x14, -1, 103, 203, 0, 0, 14),
        () ->
            new LoginRequest(
                true,
                false,
                1,
                3,
                0,
                0,
                0x023d_0000_0001L,
                0,
                0x0a0b0c0d,
                1,
                1,
                0,
                text("InitiatorName=iqn.2026-11.dev.lunar:init\0")),
        () -> new TextRequest(true, true, false, 0, 0x40, -1, 5, 6, text("SendTargets=All\0")),
        () -> new DataOut(true, 1L << 48, 0x11, 0x1000, 203, 3, 0x2000, text("abcdef")),
        () -> new LogoutRequest(true, 1, 0x50, 2, 104, 204),
        () -> new SnackRequest(1, 0, -1, 0, 205, 5, 2),
        () -> new NopIn(0, -1, 0x77, 30, 31, 62, Unpooled.EMPTY_BUFFER),
        () ->
            new ScsiResponse(
                true,
                false,
                false,
                true,
                0,
                2,
                0x11,
                0,
                30,
                31,
                62,
                1,
                0,
                24,
                ScsiResponse.senseData(Hex.bytes("700005000000000a00000000240000000000"))),
        () -> new TaskManagementResponse(0, 0x13, 31, 32, 63),
        () ->
            new LoginResponse(
                true,
                false,
                1,
                3,
                0,
                0,
                0x023d_0000_0001L,
                0x1234,
                0x0a0b0c0d,
                0,
                2,
                65,
                0,
                0,
                text("TargetPortalGroupTag=1\0")),
        () -> new TextResponse(true, false, 0, 0x40, -1, 32, 6, 70, text("TargetName=iqn.x\0")),
        () ->
            new DataIn(
                true,
                false,
                false,
                true,
                true,
                0,
                0,
                0x12,
                -1,
                33,
                102,
                133,
                0,
                0,
                512,
                text("data-in payload")),
        () -> new LogoutResponse(0, 0x50, 34, 105, 136, 2, 20),
        () -> new ReadyToTransfer(1L << 48, 0x11, 0x1000, 35, 106, 137, 0, 512, 65536),
        () -> new AsyncMessage(0, 36, 107, 138, 1, 0, 0, 2, 0, Unpooled.EMPTY_BUFFER),
        () -> new Reject(0x09, 37, 108, 139, 0, Hex.buf("01".repeat(48))));
  }

  static Stream<Arguments> samplesWithDigests() {
    return samples().stream()
        .flatMap(
            sample ->
                Stream.of(
                    Arguments.of(sample.get().opcode(), sample, false, false),
                    Arguments.of(sample.get().opcode(), sample, true, true)));
  }

  @Test
  void samplesCoverEveryOpcode() {
    Set<Opcode> covered =
        samples().stream().map(s -> withDataReleased(s.get())).collect(toOpcodes());
    assertThat(covered).isEqualTo(EnumSet.allOf(Opcode.class));
  }

  private static java.util.stream.Collector<Pdu, ?, Set<Opcode>> toOpcodes() {
    return Collectors.mapping(
        Pdu::opcode, Collectors.toCollection(() -> EnumSet.noneOf(Opcode.class)));
  }

  private static Pdu withDataReleased(Pdu pdu) {
    pdu.data().release();
    return pdu;
  }

  @ParameterizedTest(name = "{0} headerDigest={2} dataDigest={3}")
  @MethodSource("samplesWithDigests")
  void decodesToAnEqualRecord(
      Opcode opcode, Supplier<Pdu> sample, boolean headerDigest, boolean dataDigest) {
    PduEncoder encoder = new PduEncoder();
    encoder.headerDigest(headerDigest);
    encoder.dataDigest(dataDigest);
    PduDecoder decoder = new PduDecoder();
    decoder.headerDigest(headerDigest);
    decoder.dataDigest(dataDigest);
    EmbeddedChannel out = new EmbeddedChannel(encoder);
    TrackedChannel in = new TrackedChannel(decoder);

    assertThat(out.writeOutbound(sample.get())).isTrue();
    ByteBuf wire = out.readOutbound();
    assertThat(wire.readableBytes() % 4).isZero();
    assertThat(in.writeInbound(wire)).isTrue();
    Pdu decoded = in.readInbound();
    Pdu expected = sample.get();
    try {
      assertThat(decoded).isEqualTo(expected);
      assertThat(decoded.opcode()).isEqualTo(opcode);
    } finally {
      decoded.data().release();
      expected.data().release();
    }
    assertThat(out.finishAndReleaseAll()).isFalse();
    assertThat(in.finishAndReleaseAll()).isFalse();
    in.assertAllReleased();
  }
}
