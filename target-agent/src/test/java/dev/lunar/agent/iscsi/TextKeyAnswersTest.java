package dev.lunar.agent.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.control.model.AccountSpec;
import dev.lunar.agent.control.model.TargetSetSpec;
import dev.lunar.agent.iscsi.login.ChapTestSupport;
import dev.lunar.agent.iscsi.login.TextParameter;
import dev.lunar.agent.iscsi.pdu.LoginResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the target answers to the keys an initiator sends (RFC 7143 section 6.2), over TCP with keys
 * no real initiator here sends: CHAP_A lists of several algorithms, unknown keys, known keys with
 * invalid values, and keys of another phase, in the login and in the full feature phase.
 */
class TextKeyAnswersTest {

  private static final long ISID = 0x400000000017L;
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String SECRET = "alice-secret-17";
  private static final int SECURITY = 0;
  private static final int OPERATIONAL = 1;

  @Test
  void chapTakesTheFirstAlgorithmOfTheInitiatorsListThatItSupports() throws Exception {
    try (InProcessTarget target = new InProcessTarget(Duration.ofSeconds(30), chapSpec())) {
      assertThat(chapAlgorithmChosen(target, "5,6,7,8")).isEqualTo("5");
      assertThat(chapAlgorithmChosen(target, "99,junk,7,5")).isEqualTo("7");
    }
  }

  @Test
  void chapWithTheAlgorithmListedFirstAuthenticates() throws Exception {
    try (InProcessTarget target = new InProcessTarget(Duration.ofSeconds(30), chapSpec());
        RawInitiator initiator = target.initiator()) {
      List<TextParameter> challenge = startChap(initiator, "8,7,6,5");
      assertThat(ChapTestSupport.value(challenge, "CHAP_A")).isEqualTo("8");
      String answer =
          ChapTestSupport.response(
              "SHA3-256",
              ChapTestSupport.value(challenge, "CHAP_I"),
              SECRET,
              ChapTestSupport.value(challenge, "CHAP_C"));

      initiator.sendLogin(ISID, SECURITY, OPERATIONAL, true, "CHAP_N=alice", "CHAP_R=" + answer);
      LoginResponse authenticated = (LoginResponse) initiator.receive(WAIT);
      authenticated.data().release();

      assertThat(authenticated.statusClass()).isZero();
      assertThat(authenticated.transit()).isTrue();
    }
  }

  private static String chapAlgorithmChosen(InProcessTarget target, String offer) {
    try (RawInitiator initiator = target.initiator()) {
      return ChapTestSupport.value(startChap(initiator, offer), "CHAP_A");
    }
  }

  /** The security stage up to the target's CHAP challenge, which this returns. */
  private static List<TextParameter> startChap(RawInitiator initiator, String algorithms) {
    initiator.sendLogin(
        ISID,
        SECURITY,
        OPERATIONAL,
        false,
        "InitiatorName=" + RawInitiator.NAME,
        "TargetName=" + InProcessTarget.IQN,
        "SessionType=Normal",
        "AuthMethod=CHAP");
    RawInitiator.keysOf(initiator.receive(WAIT));
    initiator.sendLogin(ISID, SECURITY, OPERATIONAL, false, "CHAP_A=" + algorithms);
    return RawInitiator.keysOf(initiator.receive(WAIT));
  }

  private static TargetSetSpec chapSpec() {
    return new TargetSetSpec(
        List.of(InProcessTarget.target(List.of("alice"), Map.of())),
        List.of(new AccountSpec("alice", SECRET)));
  }
}
