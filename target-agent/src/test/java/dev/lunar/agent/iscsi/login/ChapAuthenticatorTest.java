package dev.lunar.agent.iscsi.login;

import static dev.lunar.agent.iscsi.login.ChapTestSupport.response;
import static dev.lunar.agent.iscsi.login.ChapTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunar.agent.model.AccountSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChapAuthenticatorTest {

  private static final String SECRET = "initiator-secret-1";
  private static final String TARGET_SECRET = "target-secret-22";

  private final ChapAuthenticator chap =
      new ChapAuthenticator(
          Map.of("alice", SECRET),
          new AccountSpec("target-user", TARGET_SECRET),
          new FixedRandom(7));

  private static Map<String, String> keys(String... pairs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put(pairs[i], pairs[i + 1]);
    }
    return out;
  }

  private static void assertAuthFailure(ThrowingStep step, String... forbidden) {
    assertThatThrownBy(step::run)
        .isInstanceOfSatisfying(
            LoginException.class,
            e -> {
              assertThat(e.status()).isEqualTo(0x0201);
              for (String f : forbidden) {
                assertThat(e.getMessage()).doesNotContain(f);
                assertThat(e.toString()).doesNotContain(f);
              }
            });
  }

  interface ThrowingStep {
    void run() throws Exception;
  }

  @Test
  void md5ResponseVerifiesAgainstRfc1994KnownAnswer() throws Exception {
    List<TextParameter> challenge = chap.step(keys("CHAP_A", "5"));

    assertThat(value(challenge, "CHAP_A")).isEqualTo("5");
    String id = value(challenge, "CHAP_I");
    String c = value(challenge, "CHAP_C");
    assertThat(c).startsWith("0x").hasSize(2 + 2 * 16);

    List<TextParameter> done =
        chap.step(keys("CHAP_N", "alice", "CHAP_R", response("MD5", id, SECRET, c)));

    assertThat(done).isEmpty();
    assertThat(chap.authenticated()).isTrue();
    assertThat(chap.user()).contains("alice");
  }

  @Test
  void takesTheFirstOfferedAlgorithmItSupportsNotTheStrongest() throws Exception {
    List<TextParameter> challenge = chap.step(keys("CHAP_A", "99,junk,7,5,8"));

    assertThat(value(challenge, "CHAP_A")).isEqualTo("7");
    String c = value(challenge, "CHAP_C");
    assertThat(c).hasSize(2 + 2 * 32);
    chap.step(
        keys(
            "CHAP_N",
            "alice",
            "CHAP_R",
            response("SHA-256", value(challenge, "CHAP_I"), SECRET, c)));
    assertThat(chap.authenticated()).isTrue();
  }

  @Test
  void refusesWhenNoOfferedAlgorithmIsSupported() {
    assertAuthFailure(() -> chap.step(keys("CHAP_A", "99,100")));
  }

  @Test
  void refusesAWrongSecretWithoutRevealingIt() throws Exception {
    List<TextParameter> challenge = chap.step(keys("CHAP_A", "5"));
    String wrong =
        response("MD5", value(challenge, "CHAP_I"), "not-the-secret", value(challenge, "CHAP_C"));

    assertAuthFailure(() -> chap.step(keys("CHAP_N", "alice", "CHAP_R", wrong)), SECRET);
    assertThat(chap.authenticated()).isFalse();
  }

  @Test
  void refusesAnUnknownUser() throws Exception {
    List<TextParameter> challenge = chap.step(keys("CHAP_A", "5"));
    String r = response("MD5", value(challenge, "CHAP_I"), SECRET, value(challenge, "CHAP_C"));

    assertAuthFailure(() -> chap.step(keys("CHAP_N", "mallory", "CHAP_R", r)));
  }

  @Test
  void refusesAMalformedOrTruncatedResponse() throws Exception {
    chap.step(keys("CHAP_A", "5"));

    assertAuthFailure(() -> chap.step(keys("CHAP_N", "alice", "CHAP_R", "0x00")));
  }

  @Test
  void refusesAResponseBeforeTheChallenge() {
    assertAuthFailure(() -> chap.step(keys("CHAP_N", "alice", "CHAP_R", "0x00")));
  }

  @Test
  void mutualChapAnswersWithTheOutgoingAccount() throws Exception {
    List<TextParameter> challenge = chap.step(keys("CHAP_A", "5"));
    String r = response("MD5", value(challenge, "CHAP_I"), SECRET, value(challenge, "CHAP_C"));
    String theirChallenge = "0x" + "5a".repeat(32);

    List<TextParameter> answer =
        chap.step(keys("CHAP_N", "alice", "CHAP_R", r, "CHAP_I", "200", "CHAP_C", theirChallenge));

    assertThat(value(answer, "CHAP_N")).isEqualTo("target-user");
    assertThat(value(answer, "CHAP_R"))
        .isEqualTo(response("MD5", "200", TARGET_SECRET, theirChallenge));
    assertThat(answer.toString()).doesNotContain(TARGET_SECRET);
  }

  @Test
  void refusesAReflectedChallenge() throws Exception {
    List<TextParameter> challenge = chap.step(keys("CHAP_A", "5"));
    String c = value(challenge, "CHAP_C");
    String r = response("MD5", value(challenge, "CHAP_I"), SECRET, c);

    assertAuthFailure(
        () -> chap.step(keys("CHAP_N", "alice", "CHAP_R", r, "CHAP_I", "1", "CHAP_C", c)));
  }

  @Test
  void refusesMutualChapWithoutAnOutgoingAccount() throws Exception {
    var oneWay = new ChapAuthenticator(Map.of("alice", SECRET), null, new FixedRandom(1));
    List<TextParameter> challenge = oneWay.step(keys("CHAP_A", "5"));
    String r = response("MD5", value(challenge, "CHAP_I"), SECRET, value(challenge, "CHAP_C"));

    assertAuthFailure(
        () -> oneWay.step(keys("CHAP_N", "alice", "CHAP_R", r, "CHAP_I", "1", "CHAP_C", "0x0102")));
  }

  @Test
  void refusesHalfAMutualChallenge() throws Exception {
    List<TextParameter> challenge = chap.step(keys("CHAP_A", "5"));
    String r = response("MD5", value(challenge, "CHAP_I"), SECRET, value(challenge, "CHAP_C"));

    assertAuthFailure(() -> chap.step(keys("CHAP_N", "alice", "CHAP_R", r, "CHAP_I", "1")));
  }
}
