package dev.lunar.agent.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.control.model.AccountSpec;
import dev.lunar.agent.control.model.TargetSetSpec;
import dev.lunar.agent.iscsi.login.TextParameter;
import dev.lunar.agent.iscsi.login.TextParameters;
import dev.lunar.agent.iscsi.pdu.LoginRequest;
import dev.lunar.agent.iscsi.pdu.LoginResponse;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The login throttle as an initiator over TCP sees it: wrong CHAP answers come back slower. */
class ChapThrottleTest {

  private static final long ISID = 0x400000000099L;

  @Test
  void eachWrongChapAnswerMakesTheNextOneWaitLonger() throws Exception {
    TargetSetSpec spec =
        new TargetSetSpec(
            List.of(InProcessTarget.target(List.of("alice"), Map.of())),
            List.of(new AccountSpec("alice", "alice-secret-12")));
    try (InProcessTarget target = new InProcessTarget(Duration.ofSeconds(30), spec)) {
      long first = wrongChapAnswerMillis(target);
      long second = wrongChapAnswerMillis(target);
      long third = wrongChapAnswerMillis(target);

      assertThat(first).as("first failure answered at once").isLessThan(900);
      assertThat(second).as("after one failure").isBetween(950L, 1900L);
      assertThat(third).as("after two failures").isBetween(1950L, 2900L);
    }
  }

  /** Runs a CHAP login with a wrong answer; returns how long the target took to refuse it. */
  private static long wrongChapAnswerMillis(InProcessTarget target) {
    try (RawInitiator initiator = target.initiator()) {
      exchange(
          initiator,
          true,
          "InitiatorName=" + RawInitiator.NAME,
          "TargetName=" + InProcessTarget.IQN,
          "SessionType=Normal",
          "AuthMethod=CHAP");
      exchange(initiator, false, "CHAP_A=5");
      long start = System.nanoTime();
      LoginResponse refused =
          exchange(initiator, true, "CHAP_N=alice", "CHAP_R=0x" + "00".repeat(16));
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertThat(refused.statusClass() << 8 | refused.statusDetail()).isEqualTo(0x0201);
      return millis;
    }
  }

  private static LoginResponse exchange(RawInitiator initiator, boolean transit, String... keys) {
    List<TextParameter> params = new ArrayList<>();
    for (String key : keys) {
      int eq = key.indexOf('=');
      params.add(new TextParameter(key.substring(0, eq), key.substring(eq + 1)));
    }
    initiator.send(
        new LoginRequest(
            transit,
            false,
            0,
            1,
            0,
            0,
            ISID,
            0,
            initiator.nextItt(),
            0,
            0,
            0,
            Unpooled.wrappedBuffer(TextParameters.format(params))));
    LoginResponse response = (LoginResponse) initiator.receive(Duration.ofSeconds(10));
    response.data().release();
    return response;
  }
}
