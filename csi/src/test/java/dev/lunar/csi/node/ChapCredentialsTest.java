package dev.lunar.csi.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChapCredentialsTest {

  @Test
  void readsTheControllersKeys() {
    var chap = ChapCredentials.fromSecrets(Map.of("username", "u", "password", "p")).orElseThrow();

    assertThat(chap).isEqualTo(new ChapCredentials("u", "p", null, null));
    assertThat(chap.mutual()).isFalse();
  }

  @Test
  void readsKubeletsInTreeKeysForMutualChap() {
    var chap =
        ChapCredentials.fromSecrets(
                Map.of(
                    "node.session.auth.username", "u",
                    "node.session.auth.password", "p",
                    "node.session.auth.username_in", "t",
                    "node.session.auth.password_in", "q"))
            .orElseThrow();

    assertThat(chap).isEqualTo(new ChapCredentials("u", "p", "t", "q"));
    assertThat(chap.mutual()).isTrue();
  }

  @Test
  void noSecretsMeansNoChap() {
    assertThat(ChapCredentials.fromSecrets(Map.of())).isEmpty();
  }

  @Test
  void toStringShowsNamesButNeverSecrets() {
    var chap = new ChapCredentials("u", "hunter2", "t", "swordfish");

    assertThat(chap.toString())
        .contains("username=u", "usernameIn=t")
        .doesNotContain("hunter2", "swordfish");
  }

  @Test
  void halfACredentialIsRefusedWithoutQuotingIt() {
    assertThatThrownBy(() -> ChapCredentials.fromSecrets(Map.of("password", "hunter2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> ChapCredentials.fromSecrets(Map.of("passwordIn", "hunter2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("hunter2");
  }
}
