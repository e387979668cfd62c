package dev.lunar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunar.csi.health.HealthOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CsiNodeCommandTest {

  @Test
  void defaultsAreTheDaemonSetsPaths() {
    var options = CsiNodeCommand.parse(new String[0]);

    assertThat(options.endpoint()).isEqualTo(Path.of("/csi/csi.sock"));
    assertThat(options.kubeletEndpoint())
        .isEqualTo("/var/lib/kubelet/plugins/iscsi.lunar.dev/csi.sock");
    assertThat(options.registrationDir()).isEqualTo(Path.of("/var/lib/kubelet/plugins_registry"));
    assertThat(options.nodeId()).isEmpty();
    assertThat(options.initiatorNameFile()).isEqualTo(Path.of("/etc/iscsi/initiatorname.iscsi"));
    assertThat(options.environment().stateDir()).isEqualTo(Path.of("/var/lib/lunar/csi"));
    assertThat(options.environment().byPath()).isEqualTo(Path.of("/dev/disk/by-path"));
    assertThat(options.health()).as("no port is opened unless asked").isEmpty();
  }

  @Test
  void everyOptionInBothSpellingsAndUnixUrls() {
    var options =
        CsiNodeCommand.parse(
            new String[] {
              "--endpoint=unix:///run/csi/csi.sock",
              "--kubelet-endpoint",
              "unix:///var/lib/kubelet/plugins/x/csi.sock",
              "--registration-dir",
              "/reg",
              "--node-id=iqn.2026-12.test:n",
              "--state-dir",
              "/state",
              "--initiator-name-file",
              "/etc/iname",
              "--health-address=10.0.0.5:9508",
              "--probe-timeout",
              "2s"
            });

    assertThat(options.endpoint()).isEqualTo(Path.of("/run/csi/csi.sock"));
    assertThat(options.kubeletEndpoint()).isEqualTo("/var/lib/kubelet/plugins/x/csi.sock");
    assertThat(options.registrationDir()).isEqualTo(Path.of("/reg"));
    assertThat(options.nodeId()).isEqualTo(Optional.of("iqn.2026-12.test:n"));
    assertThat(options.environment().stateDir()).isEqualTo(Path.of("/state"));
    assertThat(options.initiatorNameFile()).isEqualTo(Path.of("/etc/iname"));
    assertThat(options.health())
        .contains(
            new HealthOptions(new InetSocketAddress("10.0.0.5", 9508), Duration.ofSeconds(2)));
  }

  @Test
  void theProbeTimeoutDefaultsToOneSecond() {
    var options = CsiNodeCommand.parse(new String[] {"--health-address", "127.0.0.1:9508"});

    assertThat(options.health().orElseThrow().probeTimeout()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void unknownOptionsMissingValuesAndRelativeSocketsAreRefused() {
    assertThatThrownBy(() -> CsiNodeCommand.parse(new String[] {"--bogus", "x"}))
        .hasMessageContaining("unknown option --bogus");
    assertThatThrownBy(() -> CsiNodeCommand.parse(new String[] {"--node-id"}))
        .hasMessageContaining("--node-id needs a value");
    assertThatThrownBy(() -> CsiNodeCommand.parse(new String[] {"--endpoint", "csi.sock"}))
        .hasMessageContaining("not an absolute path");
    assertThatThrownBy(() -> CsiNodeCommand.parse(new String[] {"--health-address", "9508"}))
        .hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> CsiNodeCommand.parse(new String[] {"--probe-timeout", "soon"}))
        .hasMessageContaining("500ms or 2s");
  }

  @Test
  void helpExitsZeroAndBadOptionsExitOne() {
    assertThat(Main.run(new String[] {"csi-node", "--help"})).isZero();
    assertThat(Main.run(new String[] {"csi-node", "--bogus"})).isEqualTo(1);
  }
}
