package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.iscsi.pdu.DataIn;
import dev.lunar.agent.iscsi.pdu.InvalidPdu;
import dev.lunar.agent.iscsi.pdu.LoginRequest;
import dev.lunar.agent.iscsi.pdu.NopIn;
import dev.lunar.agent.iscsi.pdu.Pdu;
import dev.lunar.agent.iscsi.pdu.PduDecoder;
import dev.lunar.agent.iscsi.pdu.PduEncoder;
import dev.lunar.agent.iscsi.pdu.PduFramingException;
import dev.lunar.agent.iscsi.pdu.Reject;
import dev.lunar.agent.iscsi.pdu.RejectReason;
import dev.lunar.agent.logging.LogContext;
import dev.lunar.agent.metrics.AgentMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollSocketChannelConfig;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection: the login phase, then the full feature phase of its session. Everything here
 * runs on the connection's event loop; other threads hand work over with {@link #send}.
 */
public final class Connection extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(Connection.class);
  private static final int NO_TAG = 0xffffffff;

  /**
   * Idle periods a ping may stay unanswered before the initiator counts as gone: two minutes at the
   * default 15 s. An initiator built on a synchronous library (libiscsi's sync API, which the
   * iscsi-test-cu wait loops use with a 60 s sleep) reads the ping only when its application next
   * calls in; closing sooner turns such a pause into a reconnect and a fresh unit attention.
   */
  static final int UNANSWERED_IDLE_PERIODS_BEFORE_CLOSE = 8;

  private final ConnectionServices services;
  private final Duration dataOutTimeout;
  private Channel channel;
  private LoginPhase login;
  private FullFeaturePhase fullFeature;
  private Session session;
  private int cid;
  private int statSn;
  private TransferLimits limits = TransferLimits.defaults();
  private boolean flushScheduled;
  private boolean corkNextFlush;
  private int pingTag = NO_TAG;
  private int nextPingTag = 1;
  private int unansweredIdlePeriods;
  private volatile boolean closing;
  private LogContext readContext;
  private Session readContextSession;

  /**
   * A connection that drops itself when R2Ts stay open without any Data-Out for {@code
   * dataOutTimeout} (see {@link DataOutWatch}).
   */
  public Connection(ConnectionServices services, Duration dataOutTimeout) {
    this.services = services;
    this.dataOutTimeout = dataOutTimeout;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    login = new LoginPhase(this, services);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Pdu pdu)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (closing) {
      ReferenceCountUtil.release(pdu.data());
      return;
    }
    enterLogContext();
    try {
      if (pdu instanceof InvalidPdu invalid
          && invalid.rejectReason() == RejectReason.DATA_DIGEST_ERROR.value()) {
        metrics().iscsi().digestError(targetName(), false);
      }
      if (fullFeature != null) {
        fullFeature.receive(pdu);
      } else if (pdu instanceof LoginRequest request) {
        login.receive(request);
      } else {
        // Nothing but Login Requests may come before the login completes (RFC 7143 section 6).
        ReferenceCountUtil.release(pdu.data());
        close("PDU " + pdu.opcode() + " before login completed");
      }
    } catch (RuntimeException e) {
      log.warn("connection {}: {}", remoteAddress(), e.toString(), e);
      close("internal error: " + e.getMessage());
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    leaveLogContext();
    ctx.fireChannelReadComplete();
  }

  /**
   * Sets the logging context for the PDUs of one read batch: opened at the first PDU, closed when
   * the batch is complete, so the MDC is written twice per batch instead of twice per PDU. A
   * session that begins within the batch opens a fresh context with its names.
   */
  private void enterLogContext() {
    if (readContext != null && readContextSession == session) {
      return;
    }
    leaveLogContext();
    readContextSession = session;
    readContext = logContext();
  }

  private void leaveLogContext() {
    if (readContext != null) {
      readContext.close();
      readContext = null;
      readContextSession = null;
    }
  }

  /**
   * Backpressure: while the initiator does not read what we send, read nothing more from it and run
   * none of its commands (they wait in the command flow), so an initiator that pipelines reads and
   * never collects the answers cannot grow the outbound queue without bound. The idle timer still
   * runs and ends a connection that stays stuck.
   */
  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    boolean writable = ctx.channel().isWritable();
    ctx.channel().config().setAutoRead(writable);
    if (writable && fullFeature != null) {
      fullFeature.writable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      onIdle();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  /**
   * Nothing arrived for a while: ping with a NOP-In that asks for an answer (RFC 7143 section
   * 11.19); if the ping stays unanswered for {@link #UNANSWERED_IDLE_PERIODS_BEFORE_CLOSE} more
   * idle periods the initiator is gone.
   */
  private void onIdle() {
    if (fullFeature == null) {
      close("login not completed in time");
      return;
    }
    if (pingTag != NO_TAG) {
      if (++unansweredIdlePeriods >= UNANSWERED_IDLE_PERIODS_BEFORE_CLOSE) {
        close("no answer to NOP-In");
      }
      return;
    }
    pingTag = nextPingTag++ & 0x7fffffff;
    int tag = pingTag;
    send((s, exp, max) -> new NopIn(0, NO_TAG, tag, s, exp, max, Unpooled.EMPTY_BUFFER), false);
  }

  void pingAnswered(int ttt) {
    if (ttt == pingTag) {
      pingTag = NO_TAG;
      unansweredIdlePeriods = 0;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    PduFramingException framing = framingException(cause);
    if (framing != null && framing.kind() == PduFramingException.Kind.HEADER_DIGEST_MISMATCH) {
      metrics().iscsi().digestError(targetName(), true); // the decoder's only sign of it
    }
    if (framing != null) {
      log.info("connection {}: closing on malformed PDU: {}", remoteAddress(), cause.getMessage());
    } else {
      log.debug("connection {}: {}", remoteAddress(), cause.toString());
    }
    close(cause.getMessage());
  }

  /** The decoder's framing failure, thrown as it is or wrapped once by the pipeline; else null. */
  private static PduFramingException framingException(Throwable cause) {
    if (cause instanceof PduFramingException framing) {
      return framing;
    }
    return cause.getCause() instanceof PduFramingException framing ? framing : null;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    leaveLogContext();
    closing = true;
    if (fullFeature != null) {
      fullFeature.connectionLost();
    }
    if (session != null && session.detach(this)) {
      services.sessions().remove(session);
      fullFeature.sessionEnded();
    }
    ctx.fireChannelInactive();
  }

  /** Moves to the full feature phase once the login has completed. */
  void enterFullFeature(Session session, int cid, TransferLimits limits) {
    this.session = session;
    this.cid = cid;
    this.limits = limits;
    this.fullFeature = new FullFeaturePhase(this, session, services, dataOutTimeout);
    // Digests and the negotiated data segment limit apply from the first PDU after the final
    // login response (RFC 7143 section 13.1): the response was encoded before these switches.
    PduEncoder encoder = channel.pipeline().get(PduEncoder.class);
    PduDecoder decoder = channel.pipeline().get(PduDecoder.class);
    encoder.headerDigest(limits.headerDigest());
    encoder.dataDigest(limits.dataDigest());
    decoder.headerDigest(limits.headerDigest());
    decoder.dataDigest(limits.dataDigest());
    decoder.maxRecvDataSegmentLength(limits.maxRecvSegment());
    // A data digest must be checked before data is accepted, so its segments are never placed.
    decoder.placer(limits.dataDigest() ? null : fullFeature);
  }

  /**
   * Sends a PDU built with the connection's sequence numbers. Safe from any thread; writes are
   * flushed once per event-loop turn so a burst of Data-In goes out in few syscalls.
   */
  void send(Responder responder, boolean advancesStatSn) {
    send(responder, advancesStatSn, null);
  }

  /**
   * Sends a PDU as {@link #send(Responder, boolean)} does; {@code written}, if not null, runs on
   * the event loop once the PDU has left for the socket, or could not (the connection closed).
   */
  void send(Responder responder, boolean advancesStatSn, Runnable written) {
    if (!channel.eventLoop().inEventLoop()) {
      channel.eventLoop().execute(() -> send(responder, advancesStatSn, written));
      return;
    }
    int sn = advancesStatSn ? statSn++ : statSn;
    int exp = session == null ? 0 : session.window().expCmdSn();
    int max = session == null ? 0 : session.window().maxCmdSn();
    Pdu pdu = responder.build(sn, exp, max);
    if (!channel.isActive()) {
      pdu.release();
      if (written != null) {
        written.run();
      }
      return;
    }
    if (pdu instanceof DataIn dataIn && dataIn.file() != null) {
      corkNextFlush = true;
    }
    if (written == null) {
      channel.write(pdu, channel.voidPromise());
    } else {
      channel.write(pdu).addListener(done -> written.run());
    }
    if (!flushScheduled) {
      flushScheduled = true;
      channel.eventLoop().execute(this::flush);
    }
  }

  /**
   * Writes what is queued. A batch with Data-In sent from a file is written corked (TCP_CORK, on
   * the epoll transport): each Data-In header goes out in one segment with the data behind it
   * instead of as a 48-byte segment of its own ahead of the {@code sendfile}; uncorking at the end
   * pushes the last partial segment at once.
   */
  private void flush() {
    flushScheduled = false;
    if (corkNextFlush
        && channel.isActive()
        && channel.config() instanceof EpollSocketChannelConfig epoll) {
      corkNextFlush = false;
      cork(epoll, true);
      try {
        channel.flush();
      } finally {
        cork(epoll, false);
      }
      return;
    }
    corkNextFlush = false;
    channel.flush();
  }

  /** Sets TCP_CORK; a socket that closed meanwhile has nothing left to cork. */
  private static void cork(EpollSocketChannelConfig config, boolean on) {
    try {
      config.setTcpCork(on);
    } catch (ChannelException e) {
      log.debug("TCP_CORK {}: {}", on, e.toString());
    }
  }

  /** Answers a PDU that cannot be processed with a Reject carrying its header. */
  void reject(int reason, ByteBuf rejectedHeader) {
    send((s, exp, max) -> new Reject(reason, s, exp, max, 0, rejectedHeader), true);
  }

  /** Rejects a decoded PDU; the Reject carries a copy of its header (RFC 7143 section 11.17). */
  void reject(int reason, Pdu rejected) {
    ByteBuf header = channel.alloc().buffer(48);
    rejected.writeBhs(header);
    reject(reason, header);
  }

  void reject(InvalidPdu invalid) {
    reject(invalid.rejectReason(), invalid.bhs().retain());
  }

  /** Sends what is queued, then closes. */
  public void close(String reason) {
    if (channel == null) {
      return;
    }
    if (!channel.eventLoop().inEventLoop()) {
      channel.eventLoop().execute(() -> close(reason));
      return;
    }
    if (closing) {
      return;
    }
    closing = true;
    log.debug("connection {}: closing: {}", remoteAddress(), reason);
    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> channel.close());
  }

  /** Aborts a task this connection carries; safe from any thread. */
  void abortTask(ScsiTask task) {
    channel
        .eventLoop()
        .execute(
            () -> {
              if (fullFeature != null) {
                fullFeature.abort(task);
              } else {
                task.finished().complete(null);
              }
            });
  }

  AgentMetrics metrics() {
    return services.metrics();
  }

  /** The target this connection's session is logged in to; {@code null} before or in discovery. */
  private String targetName() {
    return session == null ? null : session.identity().targetName();
  }

  /** A logging context naming this connection's target and initiator, once logged in. */
  LogContext logContext() {
    return session == null
        ? LogContext.open(null, null)
        : LogContext.open(session.identity().targetName(), session.identity().initiatorName());
  }

  void initialStatSn(int statSn) {
    this.statSn = statSn;
  }

  /** False once the connection closes or began to; on the event loop. */
  boolean open() {
    return !closing && channel.isActive();
  }

  /** Whether the login completed (the full feature phase began). */
  boolean loggedIn() {
    return fullFeature != null;
  }

  TransferLimits limits() {
    return limits;
  }

  /**
   * Bounds the data segment of the PDUs sent from now on, after a MaxRecvDataSegmentLength the
   * initiator declared in the full feature phase; on the event loop, which sends every PDU.
   */
  void limitSendSegment(int maxSendSegment) {
    limits = limits.withMaxSendSegment(maxSendSegment);
  }

  Channel channel() {
    return channel;
  }

  public int cid() {
    return cid;
  }

  Session session() {
    return session;
  }

  void cid(int cid) {
    this.cid = cid;
  }

  /** The initiator's address and port, as tgtadm shows it. */
  public String remoteAddress() {
    if (channel != null && channel.remoteAddress() instanceof InetSocketAddress a) {
      return a.getAddress().getHostAddress();
    }
    return "unknown";
  }

  InetSocketAddress remoteSocketAddress() {
    return (InetSocketAddress) channel.remoteAddress();
  }
}
