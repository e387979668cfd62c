package dev.lunar.agent.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.iscsi.pdu.AsyncMessage;
import dev.lunar.agent.iscsi.pdu.LoginRequest;
import dev.lunar.agent.iscsi.pdu.LoginResponse;
import dev.lunar.agent.iscsi.pdu.LogoutRequest;
import dev.lunar.agent.iscsi.pdu.LogoutResponse;
import dev.lunar.agent.iscsi.pdu.NopIn;
import dev.lunar.agent.iscsi.pdu.Pdu;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Logins, sessions and connections as an initiator sees them over TCP. */
class SessionLifecycleTest {

  private static final long ISID = 0x23d000000001L;

  @Test
  void scsiCommandBeforeLoginClosesTheConnection() throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator initiator = target.initiator()) {
      initiator.send(Pdus.inquiry(1, 0, 0));

      assertThat(initiator.closedWithin(Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void twoConnectionsShareOneSessionAndItsCommandOrder() throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator first = target.initiator();
        RawInitiator second = target.initiator()) {
      LoginResponse leading =
          first.login(InProcessTarget.IQN, ISID, 0, 0, Map.of("MaxConnections", "2"));
      LoginResponse joining =
          second.login(InProcessTarget.IQN, ISID, leading.tsih(), 1, Map.of("MaxConnections", "2"));
      assertThat(leading.statusClass()).isZero();
      assertThat(joining.statusClass()).isZero();
      assertThat(joining.tsih()).isEqualTo(leading.tsih());
      int cmdSn = first.cmdSn();

      // CmdSN N+1 arrives first on one connection, N later on the other: both run, in order.
      // Task tags are session-wide: each connection uses its own range here.
      first.send(Pdus.inquiry(0x100, cmdSn + 1, first.expStatSn()));
      assertThat(first.poll(Duration.ofMillis(300))).as("held until the gap closes").isNull();
      second.send(Pdus.inquiry(0x200, cmdSn, second.expStatSn()));

      assertThat(Pdus.statusOf(second.receive(Duration.ofSeconds(5)))).isZero();
      assertThat(Pdus.statusOf(first.receive(Duration.ofSeconds(5)))).isZero();
      assertThat(target.engine.state().getFirst().sessions()).hasSize(1);
      assertThat(target.engine.state().getFirst().sessions().getFirst().connections()).hasSize(2);
    }
  }

  @Test
  void aConnectionBeyondMaxConnectionsIsRefused() throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator first = target.initiator();
        RawInitiator second = target.initiator()) {
      LoginResponse leading =
          first.login(InProcessTarget.IQN, ISID, 0, 0, Map.of("MaxConnections", "1"));
      LoginResponse joining =
          second.login(InProcessTarget.IQN, ISID, leading.tsih(), 1, Map.of("MaxConnections", "1"));

      assertThat(joining.statusClass()).isEqualTo(2);
      assertThat(joining.statusDetail()).isEqualTo(0x06); // too many connections
    }
  }

  @Test
  void joiningASessionThatDoesNotExistIsRefused() throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator initiator = target.initiator()) {
      LoginResponse response = initiator.login(InProcessTarget.IQN, ISID, 0x7777, 1, Map.of());

      assertThat(response.statusClass()).isEqualTo(2);
      assertThat(response.statusDetail()).isEqualTo(0x0a); // session does not exist
    }
  }

  @Test
  void aNewLoginWithTheSameIsidReinstatesTheSession() throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator old = target.initiator();
        RawInitiator fresh = target.initiator()) {
      LoginResponse before = old.login(InProcessTarget.IQN, ISID, 0, 0, Map.of());
      LoginResponse after = fresh.login(InProcessTarget.IQN, ISID, 0, 0, Map.of());

      assertThat(after.statusClass()).isZero();
      assertThat(after.tsih()).isNotEqualTo(before.tsih());
      assertThat(old.closedWithin(Duration.ofSeconds(5))).isTrue();
      assertThat(sessionsAfterSettling(target, 1)).isEqualTo(1);
    }
  }

  @Test
  void aLoginAskingForAnUnsupportedVersionIsRefused() throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator initiator = target.initiator()) {
      initiator.send(
          new LoginRequest(
              true, false, 1, 3, 0x05, 0x02, ISID, 0, 1, 0, 0, 0, Unpooled.EMPTY_BUFFER));
      LoginResponse response = (LoginResponse) initiator.receive(Duration.ofSeconds(5));

      assertThat(response.statusClass()).isEqualTo(2);
      assertThat(response.statusDetail()).isEqualTo(0x05); // unsupported version
      assertThat(initiator.closedWithin(Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void logoutOfTheConnectionIsAnsweredThenTheConnectionCloses() throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator initiator = target.initiator()) {
      initiator.login(InProcessTarget.IQN, ISID, 0, 0, Map.of());

      initiator.send(
          new LogoutRequest(
              true, 1, initiator.nextItt(), 0, initiator.cmdSn(), initiator.expStatSn()));
      LogoutResponse response = (LogoutResponse) initiator.receive(Duration.ofSeconds(5));

      assertThat(response.response()).isZero();
      assertThat(initiator.closedWithin(Duration.ofSeconds(5))).isTrue();
      assertThat(sessionsAfterSettling(target, 0)).isZero();
    }
  }

  @Test
  void logoutOfAnotherConnectionClosesThatOneOnly() throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator first = target.initiator();
        RawInitiator second = target.initiator()) {
      LoginResponse leading =
          first.login(InProcessTarget.IQN, ISID, 0, 0, Map.of("MaxConnections", "2"));
      second.login(InProcessTarget.IQN, ISID, leading.tsih(), 1, Map.of("MaxConnections", "2"));

      first.send(new LogoutRequest(true, 1, 0x300, 1, first.cmdSn(), first.expStatSn()));
      LogoutResponse response = (LogoutResponse) first.receive(Duration.ofSeconds(5));

      assertThat(response.response()).isZero();
      assertThat(second.closedWithin(Duration.ofSeconds(5))).isTrue();
      first.send(Pdus.ping(0x301, first.cmdSn(), first.expStatSn()));
      Pdu pong = first.receive(Duration.ofSeconds(5));
      assertThat(pong).isInstanceOf(NopIn.class);
      pong.data().release();
    }
  }

  @Test
  void anIdleConnectionIsPingedAndClosedWhenThePingGoesUnanswered() throws Exception {
    try (InProcessTarget target = new InProcessTarget(Duration.ofMillis(200), Map.of());
        RawInitiator initiator = target.initiator()) {
      initiator.login(InProcessTarget.IQN, ISID, 0, 0, Map.of());

      Pdu ping = initiator.receive(Duration.ofSeconds(5));
      assertThat(ping).isInstanceOf(NopIn.class);
      assertThat(((NopIn) ping).ttt()).as("a ping that asks for an answer").isNotEqualTo(-1);
      assertThat(initiator.closedWithin(Duration.ofSeconds(10))).isTrue();
    }
  }

  @Test
  void aPingAnsweredLateStillKeepsTheConnection() throws Exception {
    try (InProcessTarget target = new InProcessTarget(Duration.ofMillis(200), Map.of());
        RawInitiator initiator = target.initiator()) {
      initiator.login(InProcessTarget.IQN, ISID, 0, 0, Map.of());

      NopIn ping = (NopIn) initiator.receive(Duration.ofSeconds(5));
      // An initiator that reads its socket only now and then (libiscsi's synchronous API).
      assertThat(initiator.closedWithin(Duration.ofMillis(600))).isFalse();
      initiator.send(Pdus.pingAnswer(ping, initiator.cmdSn(), initiator.expStatSn()));
      NopIn next = (NopIn) initiator.receive(Duration.ofSeconds(5));
      initiator.send(Pdus.pingAnswer(next, initiator.cmdSn(), initiator.expStatSn()));
      assertThat(target.engine.state().getFirst().sessions()).hasSize(1);
    }
  }

  @Test
  void anAnsweredPingKeepsTheConnection() throws Exception {
    try (InProcessTarget target = new InProcessTarget(Duration.ofMillis(500), Map.of());
        RawInitiator initiator = target.initiator()) {
      initiator.login(InProcessTarget.IQN, ISID, 0, 0, Map.of());

      for (int i = 0; i < 3; i++) {
        NopIn ping = (NopIn) initiator.receive(Duration.ofSeconds(5));
        initiator.send(Pdus.pingAnswer(ping, initiator.cmdSn(), initiator.expStatSn()));
      }
      assertThat(target.engine.state().getFirst().sessions()).hasSize(1);
    }
  }

  @Test
  void shutdownAsksLoggedInInitiatorsToLogOut() throws Exception {
    InProcessTarget target = new InProcessTarget();
    try (RawInitiator initiator = target.initiator()) {
      initiator.login(InProcessTarget.IQN, ISID, 0, 0, Map.of());
      Thread closing = Thread.ofVirtual().start(target::close);

      Pdu pdu = initiator.receive(Duration.ofSeconds(5));
      assertThat(pdu).isInstanceOf(AsyncMessage.class);
      assertThat(((AsyncMessage) pdu).asyncEvent()).isEqualTo(1);
      assertThat(((AsyncMessage) pdu).parameter3()).isPositive();
      closing.join(Duration.ofSeconds(10));
    } finally {
      target.close();
    }
  }

  /**
   * The target's session count once it reaches {@code expected} or 5 s pass: the initiator sees the
   * socket close a moment before the target's side of the close has run.
   */
  private static int sessionsAfterSettling(InProcessTarget target, int expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    int count = target.engine.state().getFirst().sessions().size();
    while (count != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
      count = target.engine.state().getFirst().sessions().size();
    }
    return count;
  }
}
