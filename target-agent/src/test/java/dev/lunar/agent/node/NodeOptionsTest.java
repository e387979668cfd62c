package dev.lunar.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeOptionsTest {

  @Test
  void hostIpFromTheEnvironmentIsKeptForReportingWildcardPortals() {
    NodeOptions options =
        NodeOptions.parse(
            new String[] {"--iscsi", "portal=0.0.0.0:3260"},
            Map.of("NODE_NAME", "n1", "HOST_IP", "10.1.2.3,fd00::7"));

    assertThat(options.hostIps())
        .containsExactly(InetAddress.ofLiteral("10.1.2.3"), InetAddress.ofLiteral("fd00::7"));
    assertThat(NodeOptions.USAGE).contains("$HOST_IP");
  }

  @Test
  void withoutHostIpThereAreNoHostAddresses() {
    assertThat(NodeOptions.parse(new String[0], Map.of("NODE_NAME", "n1")).hostIps()).isEmpty();
  }
}
