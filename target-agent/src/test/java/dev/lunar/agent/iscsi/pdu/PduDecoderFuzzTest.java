package dev.lunar.agent.iscsi.pdu;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;

/**
 * Feeds arbitrary bytes to {@link PduDecoder}, in arbitrary chunks, with and without digests and
 * with a varying MaxRecvDataSegmentLength. The decoder may emit PDUs or lose framing, nothing else:
 * no other exception, and no buffer left retained once the channel is closed.
 *
 * <p>Under plain {@code mvn test} Jazzer replays the seeds in {@code PduDecoderFuzzTestInputs/};
 * with {@code JAZZER_FUZZ=1} it fuzzes (see docs/fuzzing.md).
 */
class PduDecoderFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void decoderEmitsPdusOrLosesFramingAndLeaksNothing(FuzzedDataProvider input) {
    PduDecoder decoder = new PduDecoder();
    decoder.headerDigest(input.consumeBoolean());
    decoder.dataDigest(input.consumeBoolean());
    decoder.maxRecvDataSegmentLength(input.consumeInt(512, Bhs.MAX_DATA_SEGMENT_LENGTH));
    TrackedChannel channel = new TrackedChannel(decoder);
    try {
      while (input.remainingBytes() > 0) {
        int chunk = input.consumeInt(1, 4096);
        byte[] bytes = input.consumeBytes(chunk);
        if (bytes.length == 0) {
          break;
        }
        try {
          channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        } catch (DecoderException e) {
          assertThat(e.getCause() == null ? e : e.getCause())
              .isInstanceOfAny(PduFramingException.class, DecoderException.class);
          assertThat(decoder.state()).isEqualTo(PduDecoder.State.BAD_PDU);
        }
        drain(channel);
      }
    } finally {
      drain(channel);
      channel.assertAllReleased();
    }
  }

  /** Reads every decoded PDU (as the session would: toString, then release its data). */
  private static void drain(TrackedChannel channel) {
    Object msg;
    while ((msg = channel.readInbound()) != null) {
      assertThat(msg).isInstanceOf(Pdu.class);
      assertThat(msg.toString()).isNotEmpty();
      ReferenceCountUtil.release(((Pdu) msg).data());
    }
  }
}
