package dev.lunar.crds.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The expressions are evaluated by the API server's RE2; these simple ones mean the same in Java,
 * so the cases run here without a server. CIDRs are checked by the server's CEL {@code isCIDR}
 * instead; ApiServerSmokeIT runs those cases.
 */
class SyntaxTest {

  private static final Pattern ISCSI_NAME = Pattern.compile(Syntax.ISCSI_NAME);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "iqn.2001-04.com.example:storage.disk1",
        "iqn.1993-08.org.debian:01:abc123",
        "iqn.2025-01.dev.lunar",
        "eui.02004567A425678D",
      })
  void acceptsIscsiNames(String name) {
    assertThat(ISCSI_NAME.matcher(name).matches()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "iqn.2025-13.com.example:disk",
        "iqn.25-01.com.example",
        "iqn.2025-01.Example.COM:disk",
        "iqn.2025-01.-bad.com",
        "iqn.2025-01.com.example:has space",
        "eui.02004567a425678d",
        "eui.0200",
        "client1",
        "",
      })
  void rejectsMalformedIscsiNames(String name) {
    assertThat(ISCSI_NAME.matcher(name).matches()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "storage-prod"})
  void defaultIqnsAreValidIscsiNames(String namespace) {
    assertThat(ISCSI_NAME.matcher(IscsiApi.defaultIqn(namespace, "array1.disk-2")).matches())
        .isTrue();
  }
}
