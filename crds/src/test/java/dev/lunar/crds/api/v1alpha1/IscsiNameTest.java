package dev.lunar.crds.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API server evaluates {@link IscsiName#PATTERN} with RE2 and the agent with Java; this simple
 * expression means the same in both, so the cases run here without a server.
 */
class IscsiNameTest {

  private static final Pattern PATTERN = Pattern.compile(IscsiName.PATTERN);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "iqn.2001-04.com.example:storage.disk1",
        "iqn.1993-08.org.debian:01:abc123",
        "iqn.2025-01.dev.lunar",
        "eui.02004567A425678D",
        "naa.52004567BA64678D",
        "naa.62004567BA64678D0123456789ABCDEF",
      })
  void acceptsIscsiNames(String name) {
    assertThat(IscsiName.valid(name)).isTrue();
    assertThat(PATTERN.matcher(name).matches()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "iqn.2025-13.com.example:disk",
        "iqn.25-01.com.example",
        "iqn.2025-01.Example.COM:disk",
        "iqn.2025-01.-bad.com",
        "iqn.2025-01.com.example:has space",
        "iqn.2025-01.com.example:under_score",
        "eui.02004567a425678d",
        "eui.0200",
        "naa.52004567BA64678",
        "naa.52004567BA64678D0",
        "client1",
        "not-an-iqn",
        "",
      })
  void refusesMalformedIscsiNames(String name) {
    assertThat(IscsiName.valid(name)).isFalse();
    assertThat(PATTERN.matcher(name).matches()).isFalse();
  }

  @Test
  void refusesNamesLongerThan223Bytes() {
    String prefix = "iqn.2025-01.dev.lunar:";
    String longest = prefix + "a".repeat(IscsiName.MAX_BYTES - prefix.length());

    assertThat(IscsiName.valid(longest)).isTrue();
    assertThat(IscsiName.valid(longest + "a")).isFalse();
    assertThat(IscsiName.valid(null)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "storage-prod"})
  void defaultIqnsAreValidIscsiNames(String namespace) {
    assertThat(IscsiName.valid(IscsiApi.defaultIqn(namespace, "array1.disk-2"))).isTrue();
  }
}
