package dev.lunar.agent.iscsi;

import dev.lunar.agent.iscsi.login.LoginException;
import dev.lunar.agent.iscsi.login.TextParameter;
import dev.lunar.agent.iscsi.login.TextParameters;
import dev.lunar.agent.iscsi.pdu.LoginRequest;
import dev.lunar.agent.iscsi.pdu.LoginResponse;
import dev.lunar.agent.iscsi.pdu.NopIn;
import dev.lunar.agent.iscsi.pdu.Pdu;
import dev.lunar.agent.iscsi.pdu.PduDecoder;
import dev.lunar.agent.iscsi.pdu.PduEncoder;
import dev.lunar.agent.iscsi.pdu.TextRequest;
import dev.lunar.agent.iscsi.pdu.TextResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bare-bones iSCSI initiator for tests that need what libiscsi will not do: several connections
 * in one session, PDUs out of CmdSN order, malformed PDUs, silence. It speaks through the project's
 * own codec over a real TCP socket.
 */
final class RawInitiator implements AutoCloseable {

  static final String NAME = "iqn.2026-11.dev.lunar.test:raw";

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final EmbeddedChannel encoder = new EmbeddedChannel(new PduEncoder());
  private final PduDecoder decoderHandler = new PduDecoder();
  private final EmbeddedChannel decoder = new EmbeddedChannel(decoderHandler);
  private int cmdSn;
  private int expStatSn;
  private int itt = 1;

  private RawInitiator(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = socket.getInputStream();
  }

  static RawInitiator connect(InetSocketAddress target) {
    return connect(target, 0);
  }

  /** Connects with the given socket receive buffer (0: the system's), set before the handshake. */
  static RawInitiator connect(InetSocketAddress target, int receiveBuffer) {
    try {
      Socket socket = new Socket();
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(target, 2000);
      socket.setTcpNoDelay(true);
      return new RawInitiator(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Logs in straight to the operational stage (no CHAP) and into the full feature phase. */
  LoginResponse login(String targetName, long isid, int tsih, int cid, Map<String, String> keys) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("InitiatorName", NAME);
    if (targetName == null) {
      all.put("SessionType", "Discovery");
    } else {
      all.put("TargetName", targetName);
      all.put("SessionType", "Normal");
    }
    all.put("MaxRecvDataSegmentLength", "262144");
    all.putAll(keys);
    List<TextParameter> params = new ArrayList<>();
    all.forEach((k, v) -> params.add(new TextParameter(k, v)));
    send(
        new LoginRequest(
            true,
            false,
            1,
            3,
            0,
            0,
            isid,
            tsih,
            nextItt(),
            cid,
            cmdSn,
            expStatSn,
            Unpooled.wrappedBuffer(TextParameters.format(params))));
    LoginResponse response = (LoginResponse) receive(Duration.ofSeconds(5));
    response.data().release();
    expStatSn = response.statSn() + 1;
    if (response.statusClass() == 0) {
      cmdSn = response.expCmdSn();
      decoderHandler.maxRecvDataSegmentLength(262144);
    }
    return response;
  }

  /**
   * Sends one Login Request of a new session (TSIH 0, CID 0, no C bit) carrying {@code keys}, each
   * written {@code Key=value}; the answer comes from {@link #receive}.
   */
  void sendLogin(long isid, int csg, int nsg, boolean transit, String... keys) {
    send(
        new LoginRequest(
            transit,
            false,
            csg,
            nsg,
            0,
            0,
            isid,
            0,
            nextItt(),
            0,
            cmdSn,
            expStatSn,
            textData(keys)));
  }

  /** A data segment of {@code Key=value} pairs. */
  private static ByteBuf textData(String... keys) {
    List<TextParameter> params = new ArrayList<>();
    for (String key : keys) {
      int eq = key.indexOf('=');
      params.add(new TextParameter(key.substring(0, eq), key.substring(eq + 1)));
    }
    return Unpooled.wrappedBuffer(TextParameters.format(params));
  }

  /** The keys of a Login or Text Response's data segment, which this releases. */
  static List<TextParameter> keysOf(Pdu response) {
    ByteBuf data = response.data();
    try {
      byte[] text = new byte[data.readableBytes()];
      data.readBytes(text);
      return TextParameters.parse(text, TextParameters.DEFAULT_MAX_TOTAL_BYTES);
    } catch (LoginException e) {
      throw new AssertionError("malformed text from the target", e);
    } finally {
      data.release();
    }
  }

  /**
   * Sends a Text Request (full feature phase, one PDU, a new exchange) with {@code keys} written
   * {@code Key=value}, and returns the keys of the target's final Text Response.
   */
  List<TextParameter> text(String... keys) {
    send(
        new TextRequest(
            false, true, false, 0, nextItt(), 0xffffffff, takeCmdSn(), expStatSn, textData(keys)));
    TextResponse response = (TextResponse) receive(Duration.ofSeconds(5));
    if (!response.finalFlag()) {
      response.data().release();
      throw new AssertionError("text response continues: " + response);
    }
    return keysOf(response);
  }

  /** TEST UNIT READY of LUN 1, which must meet the power-on unit attention of a new nexus. */
  void takePowerOnAttention() {
    send(Pdus.testUnitReady(nextItt(), takeCmdSn(), expStatSn));
    int status = Pdus.statusOf(receive(Duration.ofSeconds(5)));
    if (status != 2) {
      throw new AssertionError("expected the power-on unit attention, got status " + status);
    }
  }

  int nextItt() {
    return itt++;
  }

  /** The CmdSN for the next non-immediate command, advancing it. */
  int takeCmdSn() {
    return cmdSn++;
  }

  int cmdSn() {
    return cmdSn;
  }

  int expStatSn() {
    return expStatSn;
  }

  void send(Pdu pdu) {
    encoder.writeOutbound(pdu);
    for (Object o = encoder.readOutbound(); o != null; o = encoder.readOutbound()) {
      ByteBuf buf = (ByteBuf) o;
      try {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        sendRaw(bytes);
      } finally {
        buf.release();
      }
    }
  }

  void sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next PDU from the target; fails the test if none arrives in time. */
  Pdu receive(Duration timeout) {
    Pdu pdu = poll(timeout);
    if (pdu == null) {
      throw new AssertionError("no PDU from the target within " + timeout);
    }
    return pdu;
  }

  /** The next PDU, or null when none arrives in time (or the target closed). */
  Pdu poll(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] chunk = new byte[65536];
    while (true) {
      Object decoded = decoder.readInbound();
      if (decoded != null) {
        Pdu pdu = (Pdu) decoded;
        trackStatSn(pdu);
        return pdu;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      try {
        socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
        int n = in.read(chunk);
        if (n < 0) {
          return null;
        }
        decoder.writeInbound(Unpooled.copiedBuffer(chunk, 0, n));
      } catch (SocketTimeoutException e) {
        return null;
      } catch (IOException e) {
        return null;
      }
    }
  }

  private void trackStatSn(Pdu pdu) {
    if (pdu instanceof dev.lunar.agent.iscsi.pdu.ScsiResponse r) {
      expStatSn = r.statSn() + 1;
    } else if (pdu instanceof dev.lunar.agent.iscsi.pdu.DataIn d && d.statusPresent()) {
      expStatSn = d.statSn() + 1;
    } else if (pdu instanceof dev.lunar.agent.iscsi.pdu.NopIn n && n.itt() != 0xffffffff) {
      expStatSn = n.statSn() + 1;
    }
  }

  /** True when the target closes the connection within the time given. */
  boolean closedWithin(Duration timeout) {
    return closedWithin(timeout, false);
  }

  /**
   * True when the target closes the connection within the time given, though this initiator answers
   * every ping the target sends meanwhile.
   */
  boolean closedWithinAnsweringPings(Duration timeout) {
    return closedWithin(timeout, true);
  }

  private boolean closedWithin(Duration timeout, boolean answerPings) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Pdu pdu = poll(Duration.ofMillis(100));
      if (pdu != null) {
        ReferenceCountUtil.release(pdu.data());
        if (answerPings && pdu instanceof NopIn ping && ping.ttt() != Pdus.NO_TAG) {
          send(Pdus.pingAnswer(ping, cmdSn, expStatSn));
        }
        continue;
      }
      try {
        socket.setSoTimeout(100);
        int b = in.read();
        if (b < 0) {
          return true;
        }
        decoder.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) b}));
      } catch (SocketTimeoutException e) {
        // still open
      } catch (IOException e) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    encoder.finishAndReleaseAll();
    decoder.finishAndReleaseAll();
  }
}
