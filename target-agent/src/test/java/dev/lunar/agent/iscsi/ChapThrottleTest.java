package dev.lunar.agent.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.iscsi.login.ChapTestSupport;
import dev.lunar.agent.iscsi.login.LoginThrottle;
import dev.lunar.agent.iscsi.login.TextParameter;
import dev.lunar.agent.iscsi.pdu.LoginResponse;
import dev.lunar.agent.iscsi.session.ConnectionGuard;
import dev.lunar.agent.model.AccountSpec;
import dev.lunar.agent.model.TargetSetSpec;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The login throttle as an initiator over TCP sees it: wrong CHAP answers come back slower. */
class ChapThrottleTest {

  private static final long ISID = 0x400000000099L;
  private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");
  private static final Duration DEADLINE = ConnectionGuard.DEFAULT_LOGIN_DEADLINE;
  private static final String SECRET = "alice-secret-12";
  private static final int SECURITY = 0;
  private static final int OPERATIONAL = 1;
  private static final int FULL_FEATURE = 3;

  @Test
  void eachWrongChapAnswerMakesTheNextOneWaitLonger() throws Exception {
    try (InProcessTarget target = new InProcessTarget(Duration.ofSeconds(30), chapSpec())) {
      long first = wrongChapAnswerMillis(target);
      long second = wrongChapAnswerMillis(target);
      long third = wrongChapAnswerMillis(target);

      assertThat(first).as("first failure answered at once").isLessThan(900);
      assertThat(second).as("after one failure").isBetween(950L, 1900L);
      assertThat(third).as("after two failures").isBetween(1950L, 2900L);
    }
  }

  /**
   * An attacker has failed many times from the address, even under the user's own initiator name:
   * the user's correct answer is held back at most half the login deadline, then accepted, and the
   * login completes well before the connection guard would have closed the connection.
   */
  @Test
  void aCorrectLoginAfterManyFailuresFromItsAddressSucceedsWithinTheLoginDeadline()
      throws Exception {
    LoginThrottle throttle = LoginThrottle.systemClock(DEADLINE);
    for (int i = 0; i < 20; i++) {
      throttle.failed(RawInitiator.NAME, LOOPBACK);
      throttle.failed("iqn.2026-11.dev.lunar.test:guess" + i, LOOPBACK);
    }
    try (InProcessTarget target =
            new InProcessTarget(Duration.ofSeconds(30), chapSpec(), throttle);
        RawInitiator initiator = target.initiator()) {
      long start = System.nanoTime();
      LoginResponse accepted = chapLogin(initiator);
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(accepted.statusClass()).as("login status class").isZero();
      assertThat(accepted.tsih()).as("session created").isNotZero();
      assertThat(took).as("held back").isGreaterThanOrEqualTo(throttle.maxDelay().minusMillis(50));
      assertThat(took).as("answered before the deadline").isLessThan(DEADLINE.minusSeconds(5));
      assertThat(target.sessions.all()).hasSize(1);
      assertThat(throttle.delayFor(RawInitiator.NAME, LOOPBACK))
          .as("the success cleared the user's own schedule; the guesses' remain")
          .isEqualTo(throttle.maxAddressDelay());
    }
  }

  /**
   * Connections that close while a login request is held back, whether the CHAP answer itself or an
   * operational request that smuggles a CHAP_R key along to be held too: when the delay ends, no
   * session exists for them (one created then would never see its connection's close).
   */
  @Test
  void connectionsClosedWhileTheirLoginIsHeldLeaveNoSession() throws Exception {
    LoginThrottle throttle = LoginThrottle.systemClock(DEADLINE);
    throttle.failed(RawInitiator.NAME, LOOPBACK);
    throttle.failed(RawInitiator.NAME, LOOPBACK);
    Duration held = throttle.delayFor(RawInitiator.NAME, LOOPBACK);
    assertThat(held).isPositive();
    try (InProcessTarget target =
        new InProcessTarget(Duration.ofSeconds(30), chapSpec(), throttle)) {
      try (RawInitiator initiator = target.initiator()) {
        String answer = startChap(initiator);
        send(initiator, SECURITY, OPERATIONAL, "CHAP_N=alice", "CHAP_R=" + answer);
        Thread.sleep(100); // read and held before the socket closes
      }
      try (RawInitiator initiator = target.initiator()) {
        authenticate(initiator); // the schedule stays until the login completes
        send(initiator, OPERATIONAL, FULL_FEATURE, "CHAP_R=0x00", "MaxRecvDataSegmentLength=8192");
        Thread.sleep(100);
      }
      Thread.sleep(held.plusMillis(500).toMillis());

      assertThat(target.sessions.all()).as("sessions after the held requests ran").isEmpty();
    }
  }

  private static TargetSetSpec chapSpec() {
    return new TargetSetSpec(
        List.of(InProcessTarget.target(List.of("alice"), Map.of())),
        List.of(new AccountSpec("alice", SECRET)));
  }

  /** A CHAP login with the right answer, through the operational stage to the full feature. */
  private static LoginResponse chapLogin(RawInitiator initiator) throws Exception {
    authenticate(initiator);
    send(initiator, OPERATIONAL, FULL_FEATURE, "MaxRecvDataSegmentLength=8192");
    return receive(initiator);
  }

  /** The security stage with the right CHAP answer, up to the operational stage. */
  private static void authenticate(RawInitiator initiator) throws Exception {
    String answer = startChap(initiator);
    send(initiator, SECURITY, OPERATIONAL, "CHAP_N=alice", "CHAP_R=" + answer);
    LoginResponse authenticated = receive(initiator);
    assertThat(authenticated.statusClass()).as("CHAP status class").isZero();
    assertThat(authenticated.transit()).as("on to the operational stage").isTrue();
  }

  private static LoginResponse receive(RawInitiator initiator) {
    LoginResponse response = (LoginResponse) initiator.receive(DEADLINE);
    response.data().release();
    return response;
  }

  /** Runs the security stage up to the challenge; returns the right answer to it. */
  private static String startChap(RawInitiator initiator) throws Exception {
    exchange(
        initiator,
        true,
        "InitiatorName=" + RawInitiator.NAME,
        "TargetName=" + InProcessTarget.IQN,
        "SessionType=Normal",
        "AuthMethod=CHAP");
    send(initiator, SECURITY, OPERATIONAL, false, "CHAP_A=5");
    List<TextParameter> keys = RawInitiator.keysOf(initiator.receive(Duration.ofSeconds(10)));
    return ChapTestSupport.response(
        "MD5",
        ChapTestSupport.value(keys, "CHAP_I"),
        SECRET,
        ChapTestSupport.value(keys, "CHAP_C"));
  }

  /** Runs a CHAP login with a wrong answer; returns how long the target took to refuse it. */
  private static long wrongChapAnswerMillis(InProcessTarget target) throws Exception {
    try (RawInitiator initiator = target.initiator()) {
      startChap(initiator);
      long start = System.nanoTime();
      LoginResponse refused =
          exchange(initiator, true, "CHAP_N=alice", "CHAP_R=0x" + "00".repeat(16));
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertThat(refused.statusClass() << 8 | refused.statusDetail()).isEqualTo(0x0201);
      return millis;
    }
  }

  private static LoginResponse exchange(RawInitiator initiator, boolean transit, String... keys) {
    send(initiator, SECURITY, OPERATIONAL, transit, keys);
    LoginResponse response = (LoginResponse) initiator.receive(Duration.ofSeconds(10));
    response.data().release();
    return response;
  }

  private static void send(RawInitiator initiator, int csg, int nsg, String... keys) {
    send(initiator, csg, nsg, true, keys);
  }

  private static void send(
      RawInitiator initiator, int csg, int nsg, boolean transit, String... keys) {
    initiator.sendLogin(ISID, csg, nsg, transit, keys);
  }
}
