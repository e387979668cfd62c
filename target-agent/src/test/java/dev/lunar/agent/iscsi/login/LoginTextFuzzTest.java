package dev.lunar.agent.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lunar.agent.model.AccountSpec;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Arbitrary login text through {@link TextParameters#parse} and then a whole {@link
 * LoginNegotiation}: a run of requests with fuzzed stages, T bits and key bytes, against an open
 * target and a CHAP one. Every request either answers or ends the login with a {@link
 * LoginException}; what the target answers always parses back.
 */
class LoginTextFuzzTest {

  private static final String OPEN = "iqn.2026-01.dev.lunar:open";
  private static final String SECURED = "iqn.2026-01.dev.lunar:secured";
  private static final List<String> PREFIXES =
      List.of(
          "InitiatorName=iqn.1993-08.org.debian:01:fuzz\0",
          "TargetName=" + OPEN + "\0",
          "TargetName=" + SECURED + "\0",
          "SessionType=Discovery\0",
          "SessionType=Normal\0",
          "AuthMethod=CHAP,None\0",
          "CHAP_A=5,6,7\0",
          "CHAP_N=alice\0CHAP_R=0x",
          "MaxRecvDataSegmentLength=",
          "MaxBurstLength=",
          "HeaderDigest=CRC32C,None\0",
          "ErrorRecoveryLevel=",
          "");

  private static final TargetDirectory DIRECTORY =
      new InMemoryDirectory(
          new LoginTarget(1, OPEN, "open", List.of("ALL"), List.of(), Map.of(), null, Map.of(), 1),
          new LoginTarget(
              2,
              SECURED,
              null,
              List.of("ALL"),
              List.of(),
              Map.of("alice", "initiator-secret-1"),
              new AccountSpec("target-user", "target-secret-22"),
              Map.of(),
              7));

  @FuzzTest(maxDuration = "30s")
  void loginTextAlwaysAnswersOrFailsWithAStatus(FuzzedDataProvider input) {
    LoginNegotiation negotiation =
        new LoginNegotiation(
            DIRECTORY,
            InetAddress.ofLiteral("10.0.0.5"),
            new FixedRandom(1),
            input.consumeBoolean());
    int requests = input.consumeInt(1, 8);
    for (int i = 0; i < requests && input.remainingBytes() > 0; i++) {
      int csg = input.consumeInt(0, 3);
      int nsg = input.consumeInt(0, 3);
      boolean transit = input.consumeBoolean();
      String prefix = input.pickValue(PREFIXES);
      byte[] tail = input.consumeBytes(input.consumeInt(0, 512));
      byte[] text = concat(prefix.getBytes(StandardCharsets.UTF_8), tail);
      try {
        List<TextParameter> keys =
            TextParameters.parse(text, TextParameters.DEFAULT_MAX_TOTAL_BYTES);
        LoginStep step = negotiation.step(csg, nsg, transit, keys);
        byte[] answer = TextParameters.format(step.response());
        assertThat(TextParameters.parse(answer, TextParameters.DEFAULT_MAX_TOTAL_BYTES))
            .isEqualTo(step.response());
        if (step.complete()) {
          assertThat(negotiation.parameters()).isNotNull();
          return;
        }
      } catch (LoginException e) {
        assertThat(e.statusClass()).isBetween(1, 3);
        return;
      }
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
