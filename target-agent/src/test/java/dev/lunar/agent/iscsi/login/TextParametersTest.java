package dev.lunar.agent.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextParametersTest {

  private static final int LIMIT = TextParameters.DEFAULT_MAX_TOTAL_BYTES;

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void assertInitiatorError(String data) {
    assertThatThrownBy(() -> TextParameters.parse(text(data), LIMIT))
        .isInstanceOfSatisfying(
            LoginException.class, e -> assertThat(e.status()).isEqualTo(0x0200));
  }

  @Test
  void parsesPairsInOrder() throws LoginException {
    List<TextParameter> keys =
        TextParameters.parse(text("InitiatorName=iqn.a\0SessionType=Normal\0Empty=\0"), LIMIT);

    assertThat(keys)
        .containsExactly(
            new TextParameter("InitiatorName", "iqn.a"),
            new TextParameter("SessionType", "Normal"),
            new TextParameter("Empty", ""));
  }

  @Test
  void formatTerminatesEveryPairWithNulAndRoundTrips() throws LoginException {
    List<TextParameter> keys =
        List.of(new TextParameter("A", "1"), new TextParameter("TargetAlias", "dísk"));

    byte[] bytes = TextParameters.format(keys);

    assertThat(bytes[bytes.length - 1]).isZero();
    assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("A=1\0TargetAlias=dísk\0");
    assertThat(TextParameters.parse(bytes, LIMIT)).isEqualTo(keys);
  }

  @Test
  void ignoresPaddingNuls() throws LoginException {
    assertThat(TextParameters.parse(text("A=1\0\0\0\0"), LIMIT)).hasSize(1);
  }

  @Test
  void rejectsMalformedPairs() {
    assertInitiatorError("NoEquals\0");
    assertInitiatorError("=value\0");
    assertInitiatorError("A=1"); // no terminating NUL
    assertInitiatorError("Bad Key=1\0");
  }

  @Test
  void rejectsAKeyGivenTwiceInOneRequest() {
    assertInitiatorError("MaxBurstLength=512\0MaxBurstLength=1024\0");
  }

  @Test
  void boundsKeyAndValueLengths() throws LoginException {
    assertInitiatorError("K".repeat(64) + "=1\0");
    assertThat(TextParameters.parse(text("K".repeat(63) + "=1\0"), LIMIT)).hasSize(1);
    assertInitiatorError("TargetAlias=" + "a".repeat(256) + "\0");
    assertThat(TextParameters.parse(text("TargetAlias=" + "a".repeat(255) + "\0"), LIMIT))
        .hasSize(1);
    String longChallenge = "0x" + "ab".repeat(1024);
    assertThat(TextParameters.parse(text("CHAP_C=" + longChallenge + "\0"), LIMIT)).hasSize(1);
    assertInitiatorError("CHAP_C=" + "a".repeat(8193) + "\0");
  }

  @Test
  void boundsTheTotalSize() {
    assertThatThrownBy(() -> TextParameters.parse(text("A=1\0B=2\0"), 7))
        .isInstanceOf(LoginException.class);
  }

  @Test
  void rejectsInvalidUtf8() {
    byte[] data = {'A', '=', (byte) 0xc3, 0};
    assertThatThrownBy(() -> TextParameters.parse(data, LIMIT)).isInstanceOf(LoginException.class);
  }

  @Test
  void parsesDecimalAndHexNumbers() {
    assertThat(TextParameters.parseNumber("262144")).isEqualTo(262144);
    assertThat(TextParameters.parseNumber("0x40000")).isEqualTo(262144);
    assertThat(TextParameters.parseNumber("0XfF")).isEqualTo(255);
    for (String bad : List.of("", "-1", "12a", "0x", "0x11112222333344445", " 1", "1e3")) {
      assertThatThrownBy(() -> TextParameters.parseNumber(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void parsesBooleansCaseSensitively() {
    assertThat(TextParameters.parseBoolean("Yes")).isTrue();
    assertThat(TextParameters.parseBoolean("No")).isFalse();
    assertThatThrownBy(() -> TextParameters.parseBoolean("yes"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesLists() {
    assertThat(TextParameters.parseList("CRC32C,None")).containsExactly("CRC32C", "None");
    assertThatThrownBy(() -> TextParameters.parseList("CRC32C,,None"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesHexAndBase64BinaryValues() {
    assertThat(TextParameters.parseBinary("0x0a0B", 16)).containsExactly(0x0a, 0x0b);
    assertThat(TextParameters.parseBinary("0xabc", 16)).containsExactly(0x0a, 0xbc);
    assertThat(TextParameters.parseBinary("0bAQID", 16)).containsExactly(1, 2, 3);
    assertThat(TextParameters.formatHex(new byte[] {1, (byte) 0xff})).isEqualTo("0x01ff");
    for (String bad : List.of("0x", "12", "0xzz", "0b!!!!", "0x" + "00".repeat(17))) {
      assertThatThrownBy(() -> TextParameters.parseBinary(bad, 16))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
