package dev.lunar.agent.iscsi.login;

import static dev.lunar.agent.iscsi.login.TestKeys.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperationalNegotiatorTest {

  private final OperationalNegotiator normal =
      new OperationalNegotiator(TargetOffer.DEFAULTS, false, true);

  private static String answer(OperationalNegotiator n, String pair) throws LoginException {
    List<TextParameter> out = n.negotiate(keys(pair));
    return out.isEmpty() ? null : out.getFirst().value();
  }

  private static String answerFresh(String pair) throws LoginException {
    return answer(new OperationalNegotiator(TargetOffer.DEFAULTS, false, true), pair);
  }

  @Test
  void digestsPickTheFirstOfTheInitiatorsListWeSupport() throws LoginException {
    assertThat(answerFresh("HeaderDigest=None,CRC32C")).isEqualTo("None");
    assertThat(answerFresh("HeaderDigest=CRC32C,None")).isEqualTo("CRC32C");
    assertThat(answerFresh("DataDigest=MD5,CRC32C")).isEqualTo("CRC32C");
    assertThat(answerFresh("DataDigest=MD5")).isEqualTo("Reject");
  }

  @Test
  void minimumKeysAnswerTheSmallerValue() throws LoginException {
    assertThat(answerFresh("MaxConnections=16")).isEqualTo("8");
    assertThat(answerFresh("MaxConnections=2")).isEqualTo("2");
    assertThat(answerFresh("MaxBurstLength=16777215")).isEqualTo("1048576");
    assertThat(answerFresh("MaxBurstLength=262144")).isEqualTo("262144");
    assertThat(answerFresh("DefaultTime2Retain=60")).isEqualTo("20");
    assertThat(answerFresh("DefaultTime2Retain=0")).isEqualTo("0");
    assertThat(answerFresh("MaxOutstandingR2T=8")).isEqualTo("1");
    assertThat(answerFresh("ErrorRecoveryLevel=2")).isEqualTo("0");
    assertThat(answerFresh("iSCSIProtocolLevel=2")).isEqualTo("1");
  }

  @Test
  void maximumKeyAnswersTheLargerValue() throws LoginException {
    assertThat(answerFresh("DefaultTime2Wait=0")).isEqualTo("2");
    assertThat(answerFresh("DefaultTime2Wait=10")).isEqualTo("10");
  }

  @Test
  void booleanKeysApplyOrAndAnd() throws LoginException {
    assertThat(answerFresh("InitialR2T=No")).isEqualTo("Yes"); // OR with our Yes
    assertThat(answerFresh("ImmediateData=Yes")).isEqualTo("Yes"); // AND with our Yes
    assertThat(answerFresh("ImmediateData=No")).isEqualTo("No");
    assertThat(answerFresh("DataPDUInOrder=No")).isEqualTo("Yes");
    assertThat(answerFresh("DataSequenceInOrder=No")).isEqualTo("Yes");
    assertThat(answerFresh("RDMAExtensions=Yes")).isEqualTo("No");
    var relaxed =
        new OperationalNegotiator(
            TargetOffer.DEFAULTS.withOverrides(Map.of("InitialR2T", "No")), false, true);
    assertThat(answer(relaxed, "InitialR2T=No")).isEqualTo("No");
  }

  @Test
  void obsoleteMarkersAreAnsweredNoAndTheirIntervalsRejected() throws LoginException {
    assertThat(answerFresh("OFMarker=Yes")).isEqualTo("No");
    assertThat(answerFresh("IFMarker=No")).isEqualTo("No");
    assertThat(answerFresh("OFMarkInt=2048~8192")).isEqualTo("Reject");
    assertThat(answerFresh("IFMarkInt=2048")).isEqualTo("Reject");
  }

  @Test
  void taskReportingAcceptsOnlyRfc3720() throws LoginException {
    assertThat(answerFresh("TaskReporting=ResponseFence,RFC3720")).isEqualTo("RFC3720");
    assertThat(answerFresh("TaskReporting=FastAbort")).isEqualTo("Reject");
  }

  @Test
  void outOfRangeOrMalformedValuesAreRejectedAndKeepTheDefault() throws LoginException {
    assertThat(answer(normal, "MaxConnections=0")).isEqualTo("Reject");
    assertThat(answer(normal, "MaxBurstLength=100")).isEqualTo("Reject");
    assertThat(answer(normal, "ErrorRecoveryLevel=3")).isEqualTo("Reject");
    assertThat(answer(normal, "InitialR2T=maybe")).isEqualTo("Reject");
    assertThat(answer(normal, "DefaultTime2Wait=0x")).isEqualTo("Reject");
    assertThat(normal.result().maxBurstLength()).isEqualTo(262144);
    assertThat(normal.result().maxConnections()).isEqualTo(1);
  }

  @Test
  void maxRecvDataSegmentLengthIsADeclarationPerDirection() throws LoginException {
    assertThat(normal.negotiate(keys("MaxRecvDataSegmentLength=65536"))).isEmpty();
    assertThat(normal.declarations())
        .containsExactlyElementsOf(keys("MaxRecvDataSegmentLength=262144"));
    assertThat(normal.declarations()).isEmpty();

    NegotiatedParameters p = normal.result();
    assertThat(p.initiatorMaxRecvDataSegmentLength()).isEqualTo(65536);
    assertThat(p.targetMaxRecvDataSegmentLength()).isEqualTo(262144);
    assertThat(answerFresh("MaxRecvDataSegmentLength=100")).isEqualTo("Reject");
  }

  @Test
  void firstBurstLengthIsBoundedByMaxBurstLengthWhateverTheOrder() throws LoginException {
    List<TextParameter> out =
        normal.negotiate(keys("FirstBurstLength=262144", "MaxBurstLength=4096"));

    assertThat(out).containsExactlyElementsOf(keys("FirstBurstLength=4096", "MaxBurstLength=4096"));
    assertThat(normal.result().firstBurstLength()).isEqualTo(4096);
  }

  @Test
  void firstBurstLengthIsIrrelevantWithInitialR2TAndNoImmediateData() throws LoginException {
    List<TextParameter> out =
        normal.negotiate(keys("ImmediateData=No", "FirstBurstLength=8192", "InitialR2T=Yes"));

    assertThat(out).containsAll(keys("FirstBurstLength=Irrelevant"));
  }

  @Test
  void sessionWideKeysAreIrrelevantInDiscovery() throws LoginException {
    var discovery = new OperationalNegotiator(TargetOffer.DEFAULTS, true, true);

    assertThat(answer(discovery, "MaxBurstLength=4096")).isEqualTo("Irrelevant");
    assertThat(answer(discovery, "InitialR2T=No")).isEqualTo("Irrelevant");
    assertThat(answer(discovery, "HeaderDigest=CRC32C")).isEqualTo("CRC32C");
    assertThat(answer(discovery, "DefaultTime2Wait=5")).isEqualTo("5");
    assertThat(discovery.result().maxBurstLength()).isEqualTo(262144);
  }

  @Test
  void leadingOnlyKeysAreIrrelevantOnALaterConnection() throws LoginException {
    var joining = new OperationalNegotiator(TargetOffer.DEFAULTS, false, false);

    assertThat(answer(joining, "MaxBurstLength=4096")).isEqualTo("Irrelevant");
    assertThat(answer(joining, "ErrorRecoveryLevel=0")).isEqualTo("Irrelevant");
    assertThat(answer(joining, "DataDigest=CRC32C")).isEqualTo("CRC32C");
    assertThat(joining.targetOffers()).isEmpty();
  }

  @Test
  void aRepeatedKeyGetsTheSameAnswerButAChangedValueFails() throws LoginException {
    assertThat(answer(normal, "MaxBurstLength=4096")).isEqualTo("4096");
    assertThat(answer(normal, "MaxBurstLength=4096")).isEqualTo("4096");
    assertThatThrownBy(() -> answer(normal, "MaxBurstLength=8192"))
        .isInstanceOfSatisfying(
            LoginException.class, e -> assertThat(e.status()).isEqualTo(0x0200));
  }

  @Test
  void theTargetOffersKeysWhereItsLimitBeatsTheDefault() throws LoginException {
    var strict =
        new OperationalNegotiator(
            TargetOffer.DEFAULTS.withOverrides(
                Map.of(
                    "MaxBurstLength", "65536",
                    "FirstBurstLength", "8192",
                    "ImmediateData", "No",
                    "HeaderDigest", "CRC32C")),
            false,
            true);
    strict.negotiate(keys("DataDigest=None"));

    List<TextParameter> offers = strict.targetOffers();

    // FirstBurstLength is moot once ImmediateData=No joins the default InitialR2T=Yes.
    assertThat(offers)
        .containsExactlyElementsOf(
            keys("ImmediateData=No", "MaxBurstLength=65536", "HeaderDigest=CRC32C"));
    assertThat(strict.hasPendingOffers()).isTrue();
    assertThat(
            strict.negotiate(
                keys("MaxBurstLength=32768", "ImmediateData=No", "HeaderDigest=CRC32C")))
        .isEmpty();
    assertThat(strict.hasPendingOffers()).isFalse();
    NegotiatedParameters p = strict.result();
    assertThat(p.maxBurstLength()).isEqualTo(32768);
    assertThat(p.immediateData()).isFalse();
    assertThat(p.headerDigest()).isEqualTo(Digest.CRC32C);
  }

  @Test
  void theTargetOffersFirstBurstLengthWhenItMatters() throws LoginException {
    var strict =
        new OperationalNegotiator(
            TargetOffer.DEFAULTS.withOverrides(Map.of("FirstBurstLength", "8192")), false, true);

    assertThat(strict.targetOffers()).containsExactlyElementsOf(keys("FirstBurstLength=8192"));
    strict.negotiate(keys("FirstBurstLength=Irrelevant"));
    assertThat(strict.hasPendingOffers()).isFalse();
  }

  @Test
  void anAnswerThatContradictsOurOfferFails() {
    var strict =
        new OperationalNegotiator(
            TargetOffer.DEFAULTS.withOverrides(Map.of("MaxBurstLength", "65536")), false, true);
    strict.targetOffers();

    assertThatThrownBy(() -> strict.negotiate(keys("MaxBurstLength=131072")))
        .isInstanceOf(LoginException.class);
  }

  @Test
  void defaultsNeedNoOffers() {
    assertThat(normal.targetOffers()).isEmpty();
    assertThat(normal.result())
        .isEqualTo(
            new NegotiatedParameters(
                Digest.NONE,
                Digest.NONE,
                1,
                true,
                true,
                8192,
                262144,
                262144,
                65536,
                2,
                20,
                1,
                true,
                true,
                0,
                1));
  }

  @Test
  void targetLimitOverridesAreValidated() {
    assertThatThrownBy(() -> TargetOffer.DEFAULTS.withOverrides(Map.of("MaxBurstLength", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MaxBurstLength");
    assertThatThrownBy(() -> TargetOffer.DEFAULTS.withOverrides(Map.of("Bogus", "1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> TargetOffer.DEFAULTS.withOverrides(Map.of("FirstBurstLength", "2097152")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TargetOffer.DEFAULTS.withOverrides(Map.of("DataDigest", "MD5")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
