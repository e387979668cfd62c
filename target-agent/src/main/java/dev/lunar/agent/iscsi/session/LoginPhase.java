package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.iscsi.login.LoginException;
import dev.lunar.agent.iscsi.login.LoginNegotiation;
import dev.lunar.agent.iscsi.login.LoginStatus;
import dev.lunar.agent.iscsi.login.LoginStep;
import dev.lunar.agent.iscsi.login.LoginTarget;
import dev.lunar.agent.iscsi.login.NegotiatedParameters;
import dev.lunar.agent.iscsi.login.TextParameter;
import dev.lunar.agent.iscsi.login.TextParameters;
import dev.lunar.agent.iscsi.pdu.LoginRequest;
import dev.lunar.agent.iscsi.pdu.LoginResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's Login PDUs, before its full feature phase (RFC 7143 sections 6 and 11.12): joins
 * continued requests, hands each complete one to the {@link LoginNegotiation} (which decides what
 * to answer), sends the Login Response, and on success creates or joins the session and switches
 * the connection to it. Any failure answers with the RFC's status class and detail, then closes.
 */
final class LoginPhase {

  private static final Logger log = LoggerFactory.getLogger(LoginPhase.class);

  /** Login text across continuations is bounded, so an initiator cannot make us buffer forever. */
  static final int MAX_LOGIN_TEXT = 64 * 1024;

  private static final int VERSION = 0x00;
  private static final int SECURITY_STAGE = 0;
  private static final int FULL_FEATURE_PHASE = 3;

  private final Connection connection;
  private final ConnectionServices services;
  private final java.io.ByteArrayOutputStream pendingText = new java.io.ByteArrayOutputStream();
  private LoginNegotiation negotiation;
  private LoginRequest first;
  private boolean failed;
  private boolean held;

  LoginPhase(Connection connection, ConnectionServices services) {
    this.connection = connection;
    this.services = services;
  }

  void receive(LoginRequest request) {
    try {
      if (failed) {
        return;
      }
      if (held) {
        fail(request, 0x02, 0x00, "login request while the previous one is held");
        return;
      }
      if (first == null) {
        first = request;
        connection.initialStatSn(request.expStatSn());
        connection.cid(request.cid());
      }
      if (request.versionMin() > VERSION || request.versionMax() < VERSION) {
        fail(request, 0x02, 0x05, "unsupported iSCSI version");
        return;
      }
      int length = request.data().readableBytes();
      if (pendingText.size() + length > MAX_LOGIN_TEXT) {
        fail(request, 0x02, 0x00, "login text exceeds " + MAX_LOGIN_TEXT + " bytes");
        return;
      }
      request.data().getBytes(request.data().readerIndex(), pendingText, length);
      if (request.cont()) {
        // More text follows: acknowledge with an empty response in the same stage (11.12.2).
        respond(request, false, request.csg(), request.nsg(), 0, 0, Unpooled.EMPTY_BUFFER, 0);
        return;
      }
      List<TextParameter> keys = TextParameters.parse(pendingText.toByteArray(), MAX_LOGIN_TEXT);
      pendingText.reset();
      if (negotiation == null) {
        negotiation =
            new LoginNegotiation(
                services.directory(),
                connection.remoteSocketAddress().getAddress(),
                services.random(),
                first.tsih() == 0);
      }
      Duration hold = throttleDelay(request, keys);
      if (hold.isPositive()) {
        // A CHAP answer after recent failures: check it later, off the event loop's critical path.
        held = true;
        connection
            .channel()
            .eventLoop()
            .schedule(() -> negotiate(request, keys), hold.toMillis(), TimeUnit.MILLISECONDS);
        return;
      }
      negotiate(request, keys);
    } catch (java.io.IOException e) {
      fail(request, 0x03, 0x00, "cannot read login text: " + e.getMessage());
    } catch (LoginException e) {
      refuse(request, e);
    } finally {
      request.data().release();
    }
  }

  private void negotiate(LoginRequest request, List<TextParameter> keys) {
    held = false;
    if (failed || !connection.open()) {
      // Closed while the answer was held (the initiator left, or the login deadline passed): a
      // session created now would never see its connection's close and stay registered forever.
      return;
    }
    try {
      LoginStep step = negotiation.step(request.csg(), request.nsg(), request.transit(), keys);
      ByteBuf body = textBody(step.response());
      if (step.complete()) {
        negotiation
            .chapUser()
            .ifPresent(user -> services.loginThrottle().succeeded(initiatorName(), address()));
        complete(request, step, body);
      } else {
        respond(request, step.transit(), step.csg(), step.nsg(), 0, 0, body, 0);
      }
    } catch (LoginException e) {
      refuse(request, e);
    }
  }

  /**
   * How long to hold a CHAP response back because of earlier failures (see LoginThrottle). Only in
   * the security stage, the only one where a CHAP_R is checked: elsewhere it is refused, and
   * holding it would only hold a request that may complete the login.
   */
  private Duration throttleDelay(LoginRequest request, List<TextParameter> keys) {
    boolean chapResponse =
        request.csg() == SECURITY_STAGE && keys.stream().anyMatch(k -> k.key().equals("CHAP_R"));
    return chapResponse
        ? services.loginThrottle().delayFor(initiatorName(), address())
        : Duration.ZERO;
  }

  private void refuse(LoginRequest request, LoginException e) {
    log.info(
        "login from {} refused: {} (status 0x{}{})",
        connection.remoteAddress(),
        e.getMessage(),
        String.format("%02x", e.statusClass()),
        String.format("%02x", e.statusDetail()));
    if (e.status() == LoginStatus.AUTHENTICATION_FAILURE.value() && negotiation != null) {
      services.loginThrottle().failed(initiatorName(), address());
    }
    fail(request, e.statusClass(), e.statusDetail(), e.getMessage());
  }

  private String initiatorName() {
    return negotiation == null ? null : negotiation.initiatorName();
  }

  private InetAddress address() {
    return connection.remoteSocketAddress().getAddress();
  }

  private void complete(LoginRequest request, LoginStep step, ByteBuf body) {
    NegotiatedParameters params = negotiation.parameters();
    TransferLimits limits = TransferLimits.leading(params);
    LoginTarget target = negotiation.target().orElse(null);
    SessionIdentity identity =
        new SessionIdentity(
            negotiation.initiatorName(),
            negotiation.initiatorAlias(),
            request.isid(),
            target == null ? null : target.iqn(),
            target == null ? 0 : target.tid());
    Session session;
    if (first.tsih() == 0) {
      int tid = identity.tid();
      session =
          services
              .sessions()
              .create(
                  identity,
                  target == null ? null : () -> services.targets().target(tid),
                  request.cmdSn(),
                  Math.max(1, params.maxConnections()),
                  limits);
    } else {
      session = services.sessions().find(first.tsih(), identity);
      if (session == null) {
        body.release();
        fail(request, 0x02, 0x0a, "no session with TSIH " + first.tsih() + " to join");
        return;
      }
    }
    connection.cid(request.cid());
    if (!session.attach(connection)) {
      body.release();
      fail(request, 0x02, 0x06, "session already has its maximum number of connections");
      return;
    }
    respond(
        request,
        true,
        step.csg(),
        FULL_FEATURE_PHASE,
        0,
        0,
        body,
        session.tsih(),
        session.window().expCmdSn(),
        session.window().maxCmdSn());
    TransferLimits connectionLimits =
        first.tsih() == 0 ? limits : TransferLimits.joining(params, session.limits());
    connection.enterFullFeature(session, request.cid(), connectionLimits);
    LoginMetering.succeeded(services, identity);
    log.info(
        "login: {} from {} to {} (tsih {}, cid {})",
        identity.initiatorName(),
        connection.remoteAddress(),
        identity.targetName() == null ? "discovery" : identity.targetName(),
        session.tsih(),
        request.cid());
  }

  private void fail(LoginRequest request, int statusClass, int statusDetail, String reason) {
    failed = true;
    LoginMetering.failed(services, negotiation, statusClass, statusDetail);
    respond(
        request,
        false,
        request.csg(),
        request.nsg(),
        statusClass,
        statusDetail,
        Unpooled.EMPTY_BUFFER,
        0);
    connection.close("login failed: " + reason);
  }

  private void respond(
      LoginRequest request,
      boolean transit,
      int csg,
      int nsg,
      int statusClass,
      int statusDetail,
      ByteBuf body,
      int tsih) {
    respond(
        request,
        transit,
        csg,
        nsg,
        statusClass,
        statusDetail,
        body,
        tsih,
        request.cmdSn(),
        request.cmdSn() + SessionRegistry.COMMAND_DEPTH - 1);
  }

  private void respond(
      LoginRequest request,
      boolean transit,
      int csg,
      int nsg,
      int statusClass,
      int statusDetail,
      ByteBuf body,
      int tsih,
      int expCmdSn,
      int maxCmdSn) {
    connection.send(
        (statSn, ignoredExp, ignoredMax) ->
            new LoginResponse(
                transit,
                false,
                csg,
                transit ? nsg : 0,
                VERSION,
                VERSION,
                request.isid(),
                tsih,
                request.itt(),
                statSn,
                expCmdSn,
                maxCmdSn,
                statusClass,
                statusDetail,
                body),
        true);
  }

  private static ByteBuf textBody(List<TextParameter> keys) {
    if (keys.isEmpty()) {
      return Unpooled.EMPTY_BUFFER;
    }
    return Unpooled.wrappedBuffer(TextParameters.format(keys));
  }
}
