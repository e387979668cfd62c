package dev.lunar.agent.iscsi.login;

import java.util.ArrayList;
import java.util.List;

/** Builds key lists from {@code "Key=value"} strings. */
final class TestKeys {

  private TestKeys() {}

  static List<TextParameter> keys(String... pairs) {
    List<TextParameter> out = new ArrayList<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      out.add(new TextParameter(pair.substring(0, eq), pair.substring(eq + 1)));
    }
    return out;
  }
}
