package dev.lunar.csi.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessCommandRunnerTest {

  private final ProcessCommandRunner runner = new ProcessCommandRunner();

  @Test
  void answersExitCodeAndBothOutputsInTheCLocale() throws Exception {
    var result =
        runner.run(
            Command.of("sh", "-c", "echo out; echo err >&2; echo $LC_ALL; exit 3"),
            Duration.ofSeconds(10));

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stdout()).isEqualTo("out\nC\n");
    assertThat(result.stderr()).isEqualTo("err\n");
    assertThat(result.message()).isEqualTo("err");
  }

  @Test
  void aCommandThatOutlivesItsTimeoutIsKilledAndReportedWithoutItsSecrets() {
    long start = System.nanoTime();

    assertThatThrownBy(
            () ->
                runner.run(
                    Command.withSecretLast("sh", "-c", "sleep 30", "hunter2"),
                    Duration.ofMillis(300)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("did not end within")
        .hasMessageContaining("sh -c sleep 30 ***")
        .hasMessageNotContaining("hunter2");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aMissingProgramIsAnIoException() {
    assertThatThrownBy(() -> runner.run(Command.of("no-such-tool-here"), Duration.ofSeconds(5)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot run no-such-tool-here");
  }

  @Test
  void stdinIsEmptySoAQuestionFailsInsteadOfHanging() throws Exception {
    var result =
        runner.run(
            Command.of("sh", "-c", "read answer; echo \"[$answer]\""), Duration.ofSeconds(5));

    assertThat(result.stdout()).isEqualTo("[]\n");
  }
}
