package dev.lunar.agent.iscsi.login;

import static dev.lunar.agent.iscsi.login.ChapTestSupport.response;
import static dev.lunar.agent.iscsi.login.ChapTestSupport.value;
import static dev.lunar.agent.iscsi.login.TestKeys.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunar.agent.model.AccountSpec;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoginNegotiationTest {

  private static final String INITIATOR = "iqn.2026-01.dev.lunar:host1";
  private static final String OPEN = "iqn.2026-01.dev.lunar:open";
  private static final String SECURED = "iqn.2026-01.dev.lunar:secured";
  private static final String CLOSED = "iqn.2026-01.dev.lunar:closed";
  private static final String SECRET = "initiator-secret-1";
  private static final String TARGET_SECRET = "target-secret-22";
  private static final InetAddress FROM = InetAddress.ofLiteral("10.0.0.5");

  private final TargetDirectory dir =
      new InMemoryDirectory(
          new LoginTarget(
              1, OPEN, "open disk", List.of("ALL"), List.of(), Map.of(), null, Map.of(), 1),
          new LoginTarget(
              2,
              SECURED,
              null,
              List.of("10.0.0.0/8"),
              List.of(),
              Map.of("alice", SECRET),
              new AccountSpec("target-user", TARGET_SECRET),
              Map.of("MaxRecvDataSegmentLength", "65536"),
              7),
          new LoginTarget(3, CLOSED, null, List.of(), List.of(), Map.of(), null, Map.of(), 1));

  private LoginNegotiation login() {
    return new LoginNegotiation(dir, FROM, new FixedRandom(3), true);
  }

  /** The operational request libiscsi sends (lib/login.c), in its order. */
  /** A login to a target open to all whose params are {@code params}. */
  private static LoginNegotiation loginTo(String iqn, Map<String, String> params) {
    var target =
        new LoginTarget(9, iqn, null, List.of("ALL"), List.of(), Map.of(), null, params, 1);
    return new LoginNegotiation(new InMemoryDirectory(target), FROM, new FixedRandom(1), true);
  }

  private static List<TextParameter> libiscsiOperational(String target) {
    return keys(
        "InitiatorName=" + INITIATOR,
        "InitiatorAlias=host1",
        "TargetName=" + target,
        "SessionType=Normal",
        "HeaderDigest=None,CRC32C",
        "DataDigest=None",
        "InitialR2T=No",
        "ImmediateData=Yes",
        "MaxBurstLength=262144",
        "FirstBurstLength=262144",
        "DefaultTime2Wait=2",
        "DefaultTime2Retain=0",
        "MaxOutstandingR2T=1",
        "ErrorRecoveryLevel=0",
        "IFMarker=No",
        "OFMarker=No",
        "MaxConnections=1",
        "MaxRecvDataSegmentLength=262144",
        "DataPDUInOrder=Yes",
        "DataSequenceInOrder=Yes");
  }

  private static void assertStatus(int status, ThrowingStep step) {
    assertThatThrownBy(step::run)
        .isInstanceOfSatisfying(
            LoginException.class, e -> assertThat(e.status()).isEqualTo(status));
  }

  interface ThrowingStep {
    void run() throws Exception;
  }

  @Test
  void operationalOnlyLoginCompletesInOneExchange() throws LoginException {
    LoginNegotiation login = login();

    LoginStep step = login.step(1, 3, true, libiscsiOperational(OPEN));

    assertThat(step.complete()).isTrue();
    assertThat(step.transit()).isTrue();
    assertThat(step.csg()).isEqualTo(1);
    assertThat(step.nsg()).isEqualTo(3);
    assertThat(step.response())
        .containsAll(
            keys(
                "TargetPortalGroupTag=1",
                "TargetAlias=open disk",
                "HeaderDigest=None",
                "InitialR2T=Yes",
                "FirstBurstLength=65536",
                "DefaultTime2Retain=0",
                "OFMarker=No",
                "MaxRecvDataSegmentLength=262144"));
    assertThat(step.response()).extracting(TextParameter::key).doesNotContain("InitiatorName");
    NegotiatedParameters p = login.parameters();
    assertThat(p.initialR2T()).isTrue();
    assertThat(p.immediateData()).isTrue();
    assertThat(p.maxBurstLength()).isEqualTo(262144);
    assertThat(p.firstBurstLength()).isEqualTo(65536);
    assertThat(p.initiatorMaxRecvDataSegmentLength()).isEqualTo(262144);
    assertThat(p.targetMaxRecvDataSegmentLength()).isEqualTo(262144);
    assertThat(login.initiatorName()).isEqualTo(INITIATOR);
    assertThat(login.initiatorAlias()).isEqualTo("host1");
    assertThat(login.discovery()).isFalse();
    assertThat(login.target()).map(LoginTarget::tid).contains(1);
  }

  @Test
  void chapLoginFollowsTheLibiscsiSequenceWithMutualChap() throws Exception {
    LoginNegotiation login = login();

    LoginStep offer =
        login.step(
            0,
            1,
            true,
            keys(
                "InitiatorName=" + INITIATOR,
                "TargetName=" + SECURED,
                "SessionType=Normal",
                "AuthMethod=CHAP,None"));
    assertThat(offer.transit()).isFalse();
    assertThat(offer.response())
        .containsExactlyElementsOf(keys("TargetPortalGroupTag=7", "AuthMethod=CHAP"));

    LoginStep challenge = login.step(0, 1, false, keys("CHAP_A=5"));
    assertThat(challenge.transit()).isFalse();
    String id = value(challenge.response(), "CHAP_I");
    String c = value(challenge.response(), "CHAP_C");

    String theirChallenge = "0x" + "c3".repeat(32);
    LoginStep verified =
        login.step(
            0,
            1,
            true,
            keys(
                "CHAP_N=alice",
                "CHAP_R=" + response("MD5", id, SECRET, c),
                "CHAP_I=9",
                "CHAP_C=" + theirChallenge));
    assertThat(verified.transit()).isTrue();
    assertThat(verified.nsg()).isEqualTo(1);
    assertThat(verified.complete()).isFalse();
    assertThat(value(verified.response(), "CHAP_N")).isEqualTo("target-user");
    assertThat(value(verified.response(), "CHAP_R"))
        .isEqualTo(response("MD5", "9", TARGET_SECRET, theirChallenge));

    LoginStep done = login.step(1, 3, true, libiscsiOperational(SECURED));
    assertThat(done.complete()).isTrue();
    assertThat(done.response())
        .containsAll(keys("MaxRecvDataSegmentLength=65536"))
        .extracting(TextParameter::key)
        .doesNotContain("TargetPortalGroupTag");
    assertThat(login.parameters().targetMaxRecvDataSegmentLength()).isEqualTo(65536);
    assertThat(login.chapUser()).contains("alice");
  }

  @Test
  void skippingSecurityIsRefusedWhenTheTargetRequiresChap() {
    assertStatus(0x0201, () -> login().step(1, 3, true, libiscsiOperational(SECURED)));
  }

  @Test
  void authMethodNoneIsRefusedWhenTheTargetRequiresChap() {
    assertStatus(
        0x0201,
        () ->
            login()
                .step(
                    0,
                    1,
                    true,
                    keys(
                        "InitiatorName=" + INITIATOR, "TargetName=" + SECURED, "AuthMethod=None")));
  }

  @Test
  void aWrongChapResponseFailsAuthentication() throws Exception {
    LoginNegotiation login = login();
    login.step(
        0, 1, true, keys("InitiatorName=" + INITIATOR, "TargetName=" + SECURED, "AuthMethod=CHAP"));
    LoginStep challenge = login.step(0, 1, false, keys("CHAP_A=7"));
    String wrong =
        response(
            "SHA-256",
            value(challenge.response(), "CHAP_I"),
            "guess",
            value(challenge.response(), "CHAP_C"));

    assertStatus(0x0201, () -> login.step(0, 1, true, keys("CHAP_N=alice", "CHAP_R=" + wrong)));
  }

  @Test
  void securityWithoutChapMovesToTheOperationalStageEvenWhenAskedForFullFeature()
      throws LoginException {
    LoginNegotiation login = login();

    LoginStep security =
        login.step(
            0,
            3,
            true,
            keys("InitiatorName=" + INITIATOR, "TargetName=" + OPEN, "AuthMethod=None"));

    assertThat(security.response()).containsAll(keys("AuthMethod=None"));
    assertThat(security.transit()).isTrue();
    assertThat(security.nsg()).isEqualTo(1);
    assertThat(security.complete()).isFalse();
    assertThat(login.step(1, 3, true, keys()).complete()).isTrue();
  }

  @Test
  void operationalKeysInTheSecurityStageAreRejectedAndMayBeOfferedAgain() throws LoginException {
    LoginNegotiation login = login();

    LoginStep security =
        login.step(
            0,
            1,
            true,
            keys(
                "InitiatorName=" + INITIATOR,
                "TargetName=" + OPEN,
                "AuthMethod=None",
                "MaxBurstLength=131072",
                "X-vendor=1"));

    assertThat(security.response())
        .containsAll(keys("MaxBurstLength=Reject", "X-vendor=NotUnderstood"));
    LoginStep done = login.step(1, 3, true, keys("MaxBurstLength=131072"));
    assertThat(done.response()).containsAll(keys("MaxBurstLength=131072"));
    assertThat(login.parameters().maxBurstLength()).isEqualTo(131072);
  }

  @Test
  void chapKeysWithoutChapFailAuthentication() {
    assertStatus(
        0x0201,
        () ->
            login()
                .step(
                    0,
                    1,
                    false,
                    keys("InitiatorName=" + INITIATOR, "TargetName=" + OPEN, "CHAP_A=5")));
  }

  @Test
  void rawLibiscsiBytesLogIn() throws LoginException {
    StringBuilder text = new StringBuilder();
    for (TextParameter p : libiscsiOperational(OPEN)) {
      text.append(p.key()).append('=').append(p.value()).append('\0');
    }
    byte[] data = text.toString().getBytes(StandardCharsets.UTF_8);

    LoginStep step =
        login()
            .step(1, 3, true, TextParameters.parse(data, TextParameters.DEFAULT_MAX_TOTAL_BYTES));

    assertThat(step.complete()).isTrue();
    assertThat(new String(TextParameters.format(step.response()), StandardCharsets.UTF_8))
        .startsWith("TargetPortalGroupTag=1\0TargetAlias=open disk\0HeaderDigest=None\0");
  }

  @Test
  void discoveryNeedsNoTargetNameAndAnswersSessionKeysIrrelevant() throws LoginException {
    LoginNegotiation login = login();

    LoginStep step =
        login.step(
            1,
            3,
            true,
            keys(
                "InitiatorName=" + INITIATOR,
                "SessionType=Discovery",
                "HeaderDigest=None",
                "MaxBurstLength=262144",
                "MaxRecvDataSegmentLength=32768"));

    assertThat(step.complete()).isTrue();
    assertThat(step.response())
        .containsExactlyElementsOf(
            keys(
                "HeaderDigest=None",
                "MaxBurstLength=Irrelevant",
                "MaxRecvDataSegmentLength=262144"));
    assertThat(login.discovery()).isTrue();
    assertThat(login.target()).isEmpty();
    assertThat(login.parameters().initiatorMaxRecvDataSegmentLength()).isEqualTo(32768);
  }

  @Test
  void unknownPrivateAndTargetOnlyKeysGetTheirReplies() throws LoginException {
    LoginStep step =
        login()
            .step(
                1,
                3,
                true,
                keys(
                    "InitiatorName=" + INITIATOR,
                    "TargetName=" + OPEN,
                    "X-com.example.Feature=1",
                    "X#org.example=2",
                    "FutureKey=3",
                    "TargetAlias=mine",
                    "TargetPortalGroupTag=4",
                    "SendTargets=All",
                    "OFMarkInt=2048~8192"));

    assertThat(step.response())
        .containsAll(
            keys(
                "X-com.example.Feature=NotUnderstood",
                "X#org.example=NotUnderstood",
                "FutureKey=NotUnderstood",
                "TargetAlias=Reject",
                "TargetPortalGroupTag=Reject",
                "SendTargets=Reject",
                "OFMarkInt=Reject"));
  }

  @Test
  void aJoiningConnectionAnswersSessionWideKeysIrrelevant() throws LoginException {
    var joining = new LoginNegotiation(dir, FROM, new FixedRandom(1), false);

    LoginStep step = joining.step(1, 3, true, libiscsiOperational(OPEN));

    assertThat(step.response()).containsAll(keys("MaxBurstLength=Irrelevant", "HeaderDigest=None"));
    assertThat(step.complete()).isTrue();
  }

  @Test
  void theFirstRequestMustNameTheInitiatorAndTheTarget() {
    assertStatus(0x0207, () -> login().step(1, 3, true, keys("TargetName=" + OPEN)));
    assertStatus(0x0207, () -> login().step(1, 3, true, keys("InitiatorName=" + INITIATOR)));
  }

  @Test
  void unknownTargetIsNotFound() {
    assertStatus(
        0x0203,
        () -> login().step(1, 3, true, keys("InitiatorName=" + INITIATOR, "TargetName=iqn.x")));
  }

  @Test
  void aclRefusalIsAnAuthorizationFailure() {
    assertStatus(
        0x0202,
        () -> login().step(1, 3, true, keys("InitiatorName=" + INITIATOR, "TargetName=" + CLOSED)));
    var outsider =
        new LoginNegotiation(dir, InetAddress.ofLiteral("192.0.2.1"), new FixedRandom(1), true);
    assertStatus(
        0x0202,
        () ->
            outsider.step(0, 1, true, keys("InitiatorName=" + INITIATOR, "TargetName=" + SECURED)));
  }

  @Test
  void anUnknownSessionTypeIsNotSupported() {
    assertStatus(
        0x0209,
        () ->
            login()
                .step(
                    1,
                    3,
                    true,
                    keys("InitiatorName=" + INITIATOR, "TargetName=" + OPEN, "SessionType=Bulk")));
  }

  @Test
  void redeclaringALoginKeyWithAnotherValueFails() throws LoginException {
    LoginNegotiation login = login();
    login.step(1, 3, false, keys("InitiatorName=" + INITIATOR, "TargetName=" + OPEN));

    assertStatus(0x0200, () -> login.step(1, 3, true, keys("InitiatorName=iqn.other")));
  }

  @Test
  void aLateSessionTypeMayOnlyRestateTheDefault() throws LoginException {
    LoginNegotiation login = login();
    login.step(1, 3, false, keys("InitiatorName=" + INITIATOR, "TargetName=" + OPEN));

    assertThat(login.step(1, 3, false, keys("SessionType=Normal")).complete()).isFalse();
    LoginNegotiation other = login();
    other.step(1, 3, false, keys("InitiatorName=" + INITIATOR, "TargetName=" + OPEN));
    assertStatus(0x0200, () -> other.step(1, 3, true, keys("SessionType=Discovery")));
  }

  @Test
  void invalidStageTransitionsAreInitiatorErrors() throws LoginException {
    List<TextParameter> first = keys("InitiatorName=" + INITIATOR, "TargetName=" + OPEN);
    assertStatus(0x0200, () -> login().step(3, 3, true, first));
    assertStatus(0x0200, () -> login().step(1, 1, true, first));
    assertStatus(0x0200, () -> login().step(0, 2, true, first));
    LoginNegotiation login = login();
    login.step(1, 3, false, first);
    assertStatus(0x0200, () -> login.step(0, 1, false, keys()));
  }

  @Test
  void theTargetStaysToOfferItsStricterLimitsAndCompletesOnTheAnswer() throws LoginException {
    var login =
        loginTo("iqn.strict", Map.of("MaxBurstLength", "65536", "FirstBurstLength", "8192"));

    LoginStep offer =
        login.step(1, 3, true, keys("InitiatorName=" + INITIATOR, "TargetName=iqn.strict"));
    assertThat(offer.transit()).isFalse();
    assertThat(offer.response()).containsAll(keys("MaxBurstLength=65536", "FirstBurstLength=8192"));

    LoginStep done = login.step(1, 3, true, keys("MaxBurstLength=65536", "FirstBurstLength=4096"));
    assertThat(done.complete()).isTrue();
    assertThat(login.parameters().maxBurstLength()).isEqualTo(65536);
    assertThat(login.parameters().firstBurstLength()).isEqualTo(4096);
  }

  @Test
  void ignoringTheTargetsOffersFails() throws LoginException {
    var login = loginTo("iqn.strict", Map.of("MaxBurstLength", "65536"));
    login.step(1, 3, true, keys("InitiatorName=" + INITIATOR, "TargetName=iqn.strict"));

    assertStatus(0x0200, () -> login.step(1, 3, true, keys()));
  }

  @Test
  void aMisconfiguredTargetIsATargetError() {
    var login = loginTo("iqn.b", Map.of("Foo", "1"));

    assertStatus(
        0x0300,
        () -> login.step(1, 3, true, keys("InitiatorName=" + INITIATOR, "TargetName=iqn.b")));
  }

  @Test
  void secretsNeverAppearInToString() {
    String shown = dir.find(SECURED).orElseThrow().toString();
    assertThat(shown).doesNotContain(SECRET).doesNotContain(TARGET_SECRET).contains("alice");
  }

  @Test
  void requestsAfterCompletionAreRefused() throws LoginException {
    LoginNegotiation login = login();
    login.step(1, 3, true, libiscsiOperational(OPEN));

    assertStatus(0x0200, () -> login.step(1, 3, true, keys()));
  }
}
