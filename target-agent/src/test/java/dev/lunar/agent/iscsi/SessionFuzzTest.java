package dev.lunar.agent.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lunar.agent.engine.Engine;
import dev.lunar.agent.engine.EngineDirectory;
import dev.lunar.agent.iscsi.login.TextParameters;
import dev.lunar.agent.iscsi.pdu.PduDecoder;
import dev.lunar.agent.iscsi.pdu.PduEncoder;
import dev.lunar.agent.iscsi.session.Connection;
import dev.lunar.agent.iscsi.session.ConnectionServices;
import dev.lunar.agent.iscsi.session.SessionRegistry;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.scsi.LogicalUnits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * A logged-in connection fed fuzzed PDUs of every initiator opcode (NOP-Out, SCSI Command, Task
 * Management, Text, Data-Out, Logout, SNACK) with fuzzed fields and well-formed framing, so the
 * fuzzer exercises the full feature phase rather than the decoder. The session must answer or
 * close; an exception it catches as "internal error" or a failed command counts as a finding.
 */
class SessionFuzzTest {

  private static final int[] OPCODES = {0x00, 0x01, 0x02, 0x04, 0x05, 0x06, 0x10};
  private static final SessionRegistry SESSIONS = new SessionRegistry();
  private static final Engine ENGINE = new Engine(SESSIONS, LogicalUnits::open);
  private static final ConnectionServices SERVICES;
  private static final ListAppender<ILoggingEvent> PROBLEMS = new ListAppender<>();

  static {
    ENGINE.apply(
        new TargetSetSpec(List.of(InProcessTarget.target(List.of(), Map.of())), List.of()));
    SERVICES =
        new ConnectionServices(
            SESSIONS,
            new EngineDirectory(ENGINE),
            ENGINE,
            Runnable::run,
            List.of("127.0.0.1:3260,1"),
            new SecureRandom());
    Logger session = (Logger) LoggerFactory.getLogger("dev.lunar.agent.iscsi.session");
    PROBLEMS.start();
    session.addAppender(PROBLEMS);
  }

  @FuzzTest(maxDuration = "30s")
  void fullFeaturePhaseAnswersOrClosesAndNeverFailsInternally(FuzzedDataProvider input) {
    PROBLEMS.list.clear();
    InitiatorChannel channel = new InitiatorChannel();
    try {
      channel.writeInbound(Unpooled.wrappedBuffer(login(input.consumeInt(0, 0xffff))));
      channel.runPendingTasks();
      assertThat(SESSIONS.all()).as("logged in").hasSize(1);
      int pdus = input.consumeInt(1, 16);
      for (int i = 0; i < pdus && input.remainingBytes() > 0 && channel.isActive(); i++) {
        channel.writeInbound(Unpooled.wrappedBuffer(pdu(input)));
        channel.runPendingTasks();
      }
      channel.runPendingTasks();
    } finally {
      channel.close();
      channel.runPendingTasks();
      drop(channel);
    }
    assertThat(PROBLEMS.list)
        .as("internal errors")
        .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
    assertThat(SESSIONS.all()).as("sessions left behind").isEmpty();
  }

  /** A Normal-session Login Request, operational stage straight to full feature (11.12). */
  private static byte[] login(int isidLow) {
    String keys =
        "InitiatorName=iqn.2026-11.dev.lunar:fuzz\0TargetName="
            + InProcessTarget.IQN
            + "\0SessionType=Normal\0ImmediateData=Yes\0InitialR2T=No\0";
    byte[] data = keys.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = header(0x43, data.length);
    b.put(1, (byte) (0x80 | 1 << 2 | 3));
    b.putShort(8, (short) 0x4000);
    b.putInt(10, isidLow);
    return frame(b, data);
  }

  /** A BHS with fuzzed bytes 1-3 and 8-47, a real opcode, and a data segment that matches it. */
  private static byte[] pdu(FuzzedDataProvider input) {
    int opcode = input.pickValue(OPCODES) | (input.consumeBoolean() ? 0x40 : 0);
    byte[] fields = input.consumeBytes(44);
    byte[] data = input.consumeBytes(input.consumeInt(0, 2048));
    ByteBuffer b = header(opcode, data.length);
    b.put(1, fields.length > 0 ? fields[0] : 0);
    b.put(2, fields.length > 1 ? fields[1] : 0);
    b.put(3, fields.length > 2 ? fields[2] : 0);
    for (int i = 3; i < fields.length && i + 5 < 48; i++) {
      b.put(i + 5, fields[i]);
    }
    if ((opcode & 0x3f) == 0x04 && input.consumeBoolean()) {
      data =
          TextParameters.format(
              List.of(new dev.lunar.agent.iscsi.login.TextParameter("SendTargets", "All")));
      b.put(5, (byte) 0).put(6, (byte) (data.length >>> 8)).put(7, (byte) data.length);
    }
    return frame(b, data);
  }

  private static ByteBuffer header(int opcode, int dataLength) {
    ByteBuffer b = ByteBuffer.allocate(48);
    b.put(0, (byte) opcode);
    b.put(5, (byte) (dataLength >>> 16));
    b.put(6, (byte) (dataLength >>> 8));
    b.put(7, (byte) dataLength);
    return b;
  }

  private static byte[] frame(ByteBuffer bhs, byte[] data) {
    byte[] out = new byte[48 + ((data.length + 3) & ~3)];
    System.arraycopy(bhs.array(), 0, out, 0, 48);
    System.arraycopy(data, 0, out, 48, data.length);
    return out;
  }

  private static void drop(EmbeddedChannel channel) {
    for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
      ReferenceCountUtil.release(o);
    }
    for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
      ReferenceCountUtil.release(o);
    }
  }

  /** The target's pipeline on an embedded channel that looks like a TCP peer on loopback. */
  private static final class InitiatorChannel extends EmbeddedChannel {
    InitiatorChannel() {
      super(new PduDecoder(), new PduEncoder(), new Connection(SERVICES, Duration.ofSeconds(30)));
    }

    @Override
    protected SocketAddress remoteAddress0() {
      return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public boolean writeInbound(Object... msgs) {
      try {
        return super.writeInbound(msgs);
      } finally {
        for (Object o = readOutbound(); o != null; o = readOutbound()) {
          ((ByteBuf) o).release();
        }
      }
    }
  }
}
