package dev.lunar.agent.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.iscsi.login.ChapTestSupport;
import dev.lunar.agent.iscsi.login.TextParameter;
import dev.lunar.agent.iscsi.pdu.DataIn;
import dev.lunar.agent.iscsi.pdu.LoginResponse;
import dev.lunar.agent.model.AccountSpec;
import dev.lunar.agent.model.TargetSetSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
  private static final int FULL_FEATURE = 3;
  private static final String NOT_UNDERSTOOD = "NotUnderstood";
  private static final String REJECT = "Reject";

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

  @Test
  void loginAnswersUnknownKeysNotUnderstoodAndKnownKeysOutOfPlaceOrInvalidReject()
      throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator initiator = target.initiator()) {
      sendFirstLogin(
          initiator,
          "AuthMethod=None",
          "Foo=1",
          "X-com.example.probe=1",
          "SRP_U=alice",
          "HeaderDigest=None",
          "SendTargets=All");
      Map<String, String> security = answers(RawInitiator.keysOf(initiator.receive(WAIT)));
      initiator.sendLogin(
          ISID,
          OPERATIONAL,
          FULL_FEATURE,
          false,
          "Foo=1",
          "X#org.example.probe=1",
          "SRP_U=alice",
          "CHAP_A=5",
          "TargetAlias=mine",
          "SendTargets=All",
          "MaxBurstLength=lots",
          "InitialR2T=Maybe",
          "HeaderDigest=SHA1");
      Map<String, String> operational = answers(RawInitiator.keysOf(initiator.receive(WAIT)));

      assertThat(security)
          .containsEntry("AuthMethod", "None")
          .containsEntry("Foo", NOT_UNDERSTOOD)
          .containsEntry("X-com.example.probe", NOT_UNDERSTOOD)
          .containsEntry("SRP_U", REJECT)
          .containsEntry("HeaderDigest", REJECT)
          .containsEntry("SendTargets", REJECT);
      assertThat(operational)
          .containsEntry("Foo", NOT_UNDERSTOOD)
          .containsEntry("X#org.example.probe", NOT_UNDERSTOOD)
          .containsEntry("SRP_U", REJECT)
          .containsEntry("CHAP_A", REJECT)
          .containsEntry("TargetAlias", REJECT)
          .containsEntry("SendTargets", REJECT)
          .containsEntry("MaxBurstLength", REJECT)
          .containsEntry("InitialR2T", REJECT)
          .containsEntry("HeaderDigest", REJECT);
    }
  }

  @Test
  void fullFeatureTextAnswersUnknownKeysNotUnderstoodAndKnownKeysOutOfPlaceReject()
      throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator initiator = target.initiator()) {
      initiator.login(InProcessTarget.IQN, ISID, 0, 0, Map.of());

      Map<String, String> answers =
          answers(
              initiator.text(
                  "Foo=1",
                  "X-com.example.probe=1",
                  "InitiatorName=" + RawInitiator.NAME,
                  "TargetAlias=mine",
                  "AuthMethod=None",
                  "SRP_U=alice",
                  "HeaderDigest=None",
                  "MaxRecvDataSegmentLength=100"));

      assertThat(answers)
          .containsExactly(
              Map.entry("Foo", NOT_UNDERSTOOD),
              Map.entry("X-com.example.probe", NOT_UNDERSTOOD),
              Map.entry("InitiatorName", REJECT),
              Map.entry("TargetAlias", REJECT),
              Map.entry("AuthMethod", REJECT),
              Map.entry("SRP_U", REJECT),
              Map.entry("HeaderDigest", REJECT),
              Map.entry("MaxRecvDataSegmentLength", REJECT));
    }
  }

  @Test
  void sendTargetsWithAValueThatIsNoTargetNameIsRejected() throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator initiator = target.initiator()) {
      initiator.login(InProcessTarget.IQN, ISID, 0, 0, Map.of());

      assertThat(initiator.text("SendTargets=Alle"))
          .containsExactly(new TextParameter("SendTargets", REJECT));
      assertThat(initiator.text("SendTargets=iqn.2026-11.dev.lunar.test:nobody"))
          .as("a well-formed name of no target: no records")
          .isEmpty();
      assertThat(initiator.text("SendTargets=" + InProcessTarget.IQN))
          .isEqualTo(InProcessTarget.SEND_TARGETS_RECORD);
    }
  }

  @Test
  void emptySendTargetsNamesTheSessionsTargetAndHasNoneInDiscovery() throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator normal = target.initiator();
        RawInitiator discovery = target.initiator()) {
      normal.login(InProcessTarget.IQN, ISID, 0, 0, Map.of());
      discovery.login(null, ISID + 1, 0, 0, Map.of());

      assertThat(normal.text("SendTargets=")).isEqualTo(InProcessTarget.SEND_TARGETS_RECORD);
      assertThat(discovery.text("SendTargets="))
          .containsExactly(new TextParameter("SendTargets", REJECT));
    }
  }

  /**
   * MaxRecvDataSegmentLength is declarative and may change in the full feature phase (RFC 7143
   * 13.12): no answer, and Data-In from then on fits it.
   */
  @Test
  void maxRecvDataSegmentLengthDeclaredInTheFullFeaturePhaseLimitsDataIn() throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator initiator = target.initiator()) {
      initiator.login(InProcessTarget.IQN, ISID, 0, 0, Map.of());
      initiator.takePowerOnAttention();

      assertThat(initiator.text("MaxRecvDataSegmentLength=4096")).isEmpty();
      initiator.send(
          Pdus.read10(initiator.nextItt(), initiator.takeCmdSn(), initiator.expStatSn(), 0, 32));
      List<Integer> segments = new ArrayList<>();
      DataIn in;
      do {
        in = (DataIn) initiator.receive(WAIT);
        segments.add(in.data().readableBytes());
        in.data().release();
      } while (!in.statusPresent());

      assertThat(segments).hasSize(4).containsOnly(4096);
    }
  }

  private static Map<String, String> answers(List<TextParameter> keys) {
    Map<String, String> answers = new LinkedHashMap<>();
    keys.forEach(p -> answers.put(p.key(), p.value()));
    return answers;
  }

  private static String chapAlgorithmChosen(InProcessTarget target, String offer) {
    try (RawInitiator initiator = target.initiator()) {
      return ChapTestSupport.value(startChap(initiator, offer), "CHAP_A");
    }
  }

  /** The security stage up to the target's CHAP challenge, which this returns. */
  private static List<TextParameter> startChap(RawInitiator initiator, String algorithms) {
    sendFirstLogin(initiator, "SessionType=Normal", "AuthMethod=CHAP");
    RawInitiator.keysOf(initiator.receive(WAIT));
    initiator.sendLogin(ISID, SECURITY, OPERATIONAL, false, "CHAP_A=" + algorithms);
    return RawInitiator.keysOf(initiator.receive(WAIT));
  }

  /** The first request of a Normal session's login, staying in the security stage. */
  private static void sendFirstLogin(RawInitiator initiator, String... keys) {
    List<String> all = new ArrayList<>();
    all.add("InitiatorName=" + RawInitiator.NAME);
    all.add("TargetName=" + InProcessTarget.IQN);
    all.addAll(List.of(keys));
    initiator.sendLogin(ISID, SECURITY, OPERATIONAL, false, all.toArray(String[]::new));
  }

  private static TargetSetSpec chapSpec() {
    return new TargetSetSpec(
        List.of(InProcessTarget.target(List.of("alice"), Map.of())),
        List.of(new AccountSpec("alice", SECRET)));
  }
}
