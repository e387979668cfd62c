package dev.lunar.agent.iscsi.login;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/** The initiator's side of CHAP, computed independently of the code under test. */
public final class ChapTestSupport {

  private ChapTestSupport() {}

  public static String value(List<TextParameter> keys, String key) {
    return keys.stream()
        .filter(p -> p.key().equals(key))
        .map(TextParameter::value)
        .findFirst()
        .orElseThrow(() -> new AssertionError(key + " missing in " + keys));
  }

  /** "0x" + hex of H(id || secret || challenge), as RFC 1994 defines the response. */
  public static String response(String jcaName, String id, String secret, String hexChallenge)
      throws Exception {
    MessageDigest md = MessageDigest.getInstance(jcaName);
    md.update((byte) Integer.parseInt(id));
    md.update(secret.getBytes(StandardCharsets.UTF_8));
    md.update(HexFormat.of().parseHex(hexChallenge.substring(2)));
    return "0x" + HexFormat.of().formatHex(md.digest());
  }
}
