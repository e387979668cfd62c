package dev.lunar.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunar.agent.control.TgtdOptions.HostPort;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TgtdOptionsTest {

  @Test
  void tgtStyleCommandLineIsRead() {
    TgtdOptions options =
        TgtdOptions.parse(
            new String[] {
              "-f",
              "-C",
              "17",
              "--iscsi",
              "portal=127.0.0.1:3269,portal=[::1]:3270",
              "--state-dir",
              "/var/lib/lunar",
              "--config=/etc/lunar.yaml",
              "--metrics-address",
              "0.0.0.0:9100",
              "-d",
              "1"
            });
    assertThat(options.foreground()).isTrue();
    assertThat(options.controlPort()).isEqualTo(17);
    assertThat(options.portals())
        .containsExactly(new HostPort("127.0.0.1", 3269), new HostPort("::1", 3270));
    assertThat(options.stateDir()).isEqualTo(Path.of("/var/lib/lunar"));
    assertThat(options.config()).isEqualTo(Path.of("/etc/lunar.yaml"));
    assertThat(options.metricsAddress()).isEqualTo(new HostPort("0.0.0.0", 9100));
    assertThat(options.debug()).isEqualTo(1);
  }

  @Test
  void defaultsAreControlPortZeroAndTheWellKnownIscsiPort() {
    TgtdOptions options = TgtdOptions.parse(new String[0]);
    assertThat(options.controlPort()).isZero();
    assertThat(options.portals()).containsExactly(new HostPort("0.0.0.0", 3260));
    assertThat(options.stateDir()).isNull();
  }

  @Test
  void attachedShortValuesWork() {
    assertThat(TgtdOptions.parse(new String[] {"-C17"}).controlPort()).isEqualTo(17);
  }

  @Test
  void badInputIsAClearError() {
    assertThatThrownBy(() -> TgtdOptions.parse(new String[] {"-C", "40000"}))
        .hasMessage("-C argument value '40000' out of range");
    assertThatThrownBy(() -> TgtdOptions.parse(new String[] {"-C", "abc"}))
        .hasMessage("-C argument value 'abc' invalid");
    assertThatThrownBy(() -> TgtdOptions.parse(new String[] {"--iscsi", "portal=host"}))
        .hasMessage("--iscsi portal must be HOST:PORT, not 'host'");
    assertThatThrownBy(() -> TgtdOptions.parse(new String[] {"--iscsi", "nop_interval=5"}))
        .hasMessageContaining("portal=HOST:PORT items only");
    assertThatThrownBy(() -> TgtdOptions.parse(new String[] {"--bogus"}))
        .hasMessage("unknown option --bogus");
    assertThatThrownBy(() -> TgtdOptions.parse(new String[] {"--state-dir"}))
        .hasMessage("option --state-dir needs a value");
  }
}
