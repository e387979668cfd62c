package dev.lunar.agent.iscsi.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.iscsi.pdu.PduDecoder;
import dev.lunar.agent.iscsi.pdu.PduEncoder;
import dev.lunar.agent.metrics.AgentMetrics;
import dev.lunar.agent.metrics.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Digest failures the decoder reports reach the digest error counter, by kind. */
class ConnectionMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private EmbeddedChannel channel(boolean headerDigest, boolean dataDigest) {
    ConnectionServices services =
        new ConnectionServices(
            null, null, null, Runnable::run, List.of(), null, new AgentMetrics(registry, false));
    PduDecoder decoder = new PduDecoder();
    decoder.headerDigest(headerDigest);
    decoder.dataDigest(dataDigest);
    return new EmbeddedChannel(
        decoder, new PduEncoder(), new Connection(services, Duration.ofSeconds(30)));
  }

  /** A NOP-Out BHS (opcode 0x00, immediate) announcing {@code dataLength} bytes of data. */
  private static ByteBuf nopOut(int dataLength) {
    ByteBuf bhs = Unpooled.buffer(48).writeZero(48);
    bhs.setByte(0, 0x40);
    bhs.setByte(1, 0x80);
    bhs.setMedium(5, dataLength);
    bhs.setInt(16, 0xffffffff);
    bhs.setInt(20, 0xffffffff);
    return bhs;
  }

  private double digestErrors(String kind) {
    return registry.get(MetricNames.DIGEST_ERRORS).tag("kind", kind).counter().count();
  }

  @Test
  void aDataDigestMismatchIsCounted() {
    EmbeddedChannel channel = channel(false, true);
    ByteBuf pdu = nopOut(4).writeBytes(new byte[] {1, 2, 3, 4}).writeIntLE(0);
    channel.writeInbound(pdu);
    channel.runPendingTasks();
    assertThat(digestErrors("data")).isEqualTo(1);
    assertThat(digestErrors("header")).isZero();
    channel.finishAndReleaseAll();
  }

  @Test
  void aHeaderDigestMismatchIsCounted() {
    EmbeddedChannel channel = channel(true, false);
    channel.writeInbound(nopOut(0).writeIntLE(0));
    channel.runPendingTasks();
    assertThat(digestErrors("header")).isEqualTo(1);
    assertThat(channel.isOpen()).isFalse();
    channel.finishAndReleaseAll();
  }
}
