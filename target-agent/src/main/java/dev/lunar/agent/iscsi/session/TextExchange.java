package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.iscsi.login.LoginException;
import dev.lunar.agent.iscsi.login.SendTargets;
import dev.lunar.agent.iscsi.login.TextKeys;
import dev.lunar.agent.iscsi.login.TextParameter;
import dev.lunar.agent.iscsi.login.TextParameters;
import dev.lunar.agent.iscsi.pdu.RejectReason;
import dev.lunar.agent.iscsi.pdu.TextRequest;
import dev.lunar.agent.iscsi.pdu.TextResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Text requests in the full feature phase (RFC 7143 section 11.10): SendTargets discovery, and
 * answers for other keys. A response longer than the initiator accepts in one PDU goes out in
 * pieces: C=1 and a Target Transfer Tag, and the initiator asks for the next piece with an empty
 * request carrying that tag.
 */
final class TextExchange {

  private static final int NO_TAG = 0xffffffff;
  private static final int MAX_TEXT = 64 * 1024;

  private final Connection connection;
  private final Session session;
  private final ConnectionServices services;
  private final java.io.ByteArrayOutputStream pendingRequest = new java.io.ByteArrayOutputStream();
  private ByteBuf pendingResponse;
  private int pendingTtt = NO_TAG;
  private int nextTtt = 1;
  private final int loginMaxSendSegment;

  TextExchange(Connection connection, Session session, ConnectionServices services) {
    this.connection = connection;
    this.session = session;
    this.services = services;
    this.loginMaxSendSegment = connection.limits().maxSendSegment();
  }

  void handle(TextRequest request) {
    try {
      if (request.ttt() != NO_TAG && request.ttt() == pendingTtt) {
        sendPiece(request);
        return;
      }
      release(); // a new exchange ends any unfinished one (11.10.4)
      int length = request.data().readableBytes();
      if (pendingRequest.size() + length > MAX_TEXT) {
        pendingRequest.reset();
        connection.reject(RejectReason.INVALID_PDU_FIELD.value(), request); // text too long
        return;
      }
      request.data().getBytes(request.data().readerIndex(), pendingRequest, length);
      if (request.cont()) {
        pendingTtt = nextTtt++ & 0x7fffffff;
        pendingResponse = Unpooled.EMPTY_BUFFER;
        respond(request, false, false, pendingTtt, Unpooled.EMPTY_BUFFER);
        return;
      }
      List<TextParameter> keys = TextParameters.parse(pendingRequest.toByteArray(), MAX_TEXT);
      pendingRequest.reset();
      pendingResponse = Unpooled.wrappedBuffer(TextParameters.format(answer(keys)));
      sendPiece(request);
    } catch (LoginException | java.io.IOException | RuntimeException e) {
      pendingRequest.reset();
      connection.reject(RejectReason.INVALID_PDU_FIELD.value(), request);
    } finally {
      request.data().release();
    }
  }

  /**
   * Answers each key: SendTargets, and a MaxRecvDataSegmentLength declaration, which needs no
   * answer and from now on bounds this connection's PDUs, though never above what the login agreed
   * (the target's own cap). Every other key keeps its login value: Reject when the RFC defines it,
   * NotUnderstood otherwise ({@link TextKeys}).
   */
  private List<TextParameter> answer(List<TextParameter> keys) {
    List<TextParameter> response = new ArrayList<>();
    for (TextParameter key : keys) {
      if (key.key().equals(TextKeys.SEND_TARGETS)) {
        response.addAll(
            SendTargets.respond(
                key.value(),
                session.identity().targetName(),
                services.directory(),
                session.identity().initiatorName(),
                connection.remoteSocketAddress().getAddress(),
                reachablePortals()));
      } else if (key.key().equals(TextKeys.MAX_RECV_DATA_SEGMENT_LENGTH)) {
        try {
          int declared = TextKeys.dataSegmentLength(key.value());
          connection.limitSendSegment(Math.min(declared, loginMaxSendSegment));
        } catch (IllegalArgumentException e) {
          response.add(new TextParameter(key.key(), TextKeys.REJECT));
        }
      } else {
        response.add(TextKeys.outOfPlace(key.key()));
      }
    }
    return response;
  }

  /**
   * The portals to advertise. A wildcard portal (0.0.0.0 or [::]) is reported as the address this
   * connection reached, since the wildcard itself is not an address an initiator can use.
   */
  private List<String> reachablePortals() {
    java.net.InetSocketAddress local =
        (java.net.InetSocketAddress) connection.channel().localAddress();
    String here = local.getAddress().getHostAddress();
    String reached = local.getAddress() instanceof java.net.Inet6Address ? "[" + here + "]" : here;
    List<String> portals = new ArrayList<>();
    for (String portal : services.portals()) {
      if (portal.startsWith("0.0.0.0:")) {
        portals.add(reached + portal.substring("0.0.0.0".length()));
      } else if (portal.startsWith("[::]:")) {
        portals.add(reached + portal.substring("[::]".length()));
      } else {
        portals.add(portal);
      }
    }
    return portals;
  }

  private void sendPiece(TextRequest request) {
    ByteBuf remaining = pendingResponse == null ? Unpooled.EMPTY_BUFFER : pendingResponse;
    int size = Math.min(remaining.readableBytes(), connection.limits().maxSendSegment());
    ByteBuf piece = remaining.readRetainedSlice(size);
    boolean more = remaining.isReadable();
    if (more) {
      pendingTtt = nextTtt++ & 0x7fffffff;
    } else {
      release();
    }
    respond(request, !more, more, more ? pendingTtt : NO_TAG, piece);
  }

  private void respond(TextRequest request, boolean last, boolean cont, int ttt, ByteBuf data) {
    connection.send(
        (s, exp, max) ->
            new TextResponse(last, cont, request.lun(), request.itt(), ttt, s, exp, max, data),
        true);
  }

  /** Drops an unfinished response. */
  void release() {
    if (pendingResponse != null && pendingResponse.refCnt() > 0) {
      pendingResponse.release();
    }
    pendingResponse = null;
    pendingTtt = NO_TAG;
  }
}
