package dev.lunar.csi.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import csi.v1.Csi.GetPluginCapabilitiesRequest;
import csi.v1.Csi.NodeGetInfoRequest;
import csi.v1.IdentityGrpc;
import csi.v1.NodeGrpc;
import dev.lunar.csi.Healthz;
import dev.lunar.csi.UnixChannel;
import dev.lunar.csi.health.HealthOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pluginregistration.Api.InfoRequest;
import pluginregistration.Api.RegistrationStatus;
import pluginregistration.RegistrationGrpc;

/** The node plugin's two sockets, dialled as kubelet dials them. */
class NodePluginTest {

  @TempDir Path dir;

  private NodePlugin.Options options(Optional<String> nodeId) throws IOException {
    Path initiatorName =
        Files.writeString(
            dir.resolve("initiatorname.iscsi"), "InitiatorName=iqn.2026-12.test:n1\n");
    return new NodePlugin.Options(
        dir.resolve("csi/csi.sock"),
        "/var/lib/kubelet/plugins/iscsi.lunar.dev/csi.sock",
        dir.resolve("plugins_registry"),
        nodeId,
        initiatorName,
        NodeEnvironment.host(dir.resolve("state")),
        Optional.empty());
  }

  @Test
  void servesIdentityAndNodeOnTheCsiSocketAndRegistrationBesideKubelet() throws Exception {
    Path csiSocket = dir.resolve("csi/csi.sock");
    Path registrationSocket = dir.resolve("plugins_registry/iscsi.lunar.dev-reg.sock");
    try (NodePlugin plugin =
        NodePlugin.start(options(Optional.empty()), "9.9.9", new ScriptedRunner())) {
      try (UnixChannel csi = new UnixChannel(csiSocket);
          UnixChannel kubelet = new UnixChannel(registrationSocket)) {
        var node = NodeGrpc.newBlockingStub(csi.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
        assertThat(node.nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId())
            .isEqualTo("iqn.2026-12.test:n1");
        var identity =
            IdentityGrpc.newBlockingStub(csi.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
        assertThat(
                identity
                    .getPluginCapabilities(GetPluginCapabilitiesRequest.getDefaultInstance())
                    .getCapabilitiesList())
            .as("no CONTROLLER_SERVICE on a node")
            .isEmpty();
        var registration =
            RegistrationGrpc.newBlockingStub(kubelet.channel())
                .withDeadlineAfter(10, TimeUnit.SECONDS);
        assertThat(registration.getInfo(InfoRequest.getDefaultInstance()).getEndpoint())
            .isEqualTo("/var/lib/kubelet/plugins/iscsi.lunar.dev/csi.sock");
        registration.notifyRegistrationStatus(
            RegistrationStatus.newBuilder().setPluginRegistered(true).build());
        assertThat(plugin.registered()).isTrue();
      }
    }
    assertThat(csiSocket).doesNotExist();
    assertThat(registrationSocket).doesNotExist();
  }

  @Test
  void healthzProbesTheCsiSocketAndReportsWhyTheNodeIsNotReady() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.writeString(bin.resolve("iscsiadm"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(
        bin.resolve("iscsiadm"), PosixFilePermissions.fromString("rwxr-xr-x"));
    NodePlugin.Options base = options(Optional.empty());
    NodePlugin.Options options =
        new NodePlugin.Options(
            base.endpoint(),
            base.kubeletEndpoint(),
            base.registrationDir(),
            base.nodeId(),
            base.initiatorNameFile(),
            base.environment(),
            Optional.of(
                new HealthOptions(new InetSocketAddress("127.0.0.1", 0), Duration.ofSeconds(1))));
    try (NodePlugin plugin = NodePlugin.start(options, "1", new ScriptedRunner(), List.of(bin));
        UnixChannel kubelet =
            new UnixChannel(dir.resolve("plugins_registry/iscsi.lunar.dev-reg.sock"))) {
      InetSocketAddress health = plugin.healthAddress().orElseThrow();
      assertThat(base.environment().stateDir()).as("made at start").isDirectory();
      assertThat(Healthz.get(health, "/healthz")).isEqualTo(new Healthz.Answer(200, "ok\n"));

      RegistrationGrpc.newBlockingStub(kubelet.channel())
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .notifyRegistrationStatus(
              RegistrationStatus.newBuilder()
                  .setPluginRegistered(false)
                  .setError("driver name taken")
                  .build());
      Healthz.Answer refused = Healthz.get(health, "/healthz");

      assertThat(refused.status()).isEqualTo(500);
      assertThat(refused.body())
          .contains("not ready", "kubelet refused the driver: driver name taken");
    }
  }

  @Test
  void aGivenNodeIdWinsOverTheInitiatorNameFile() throws Exception {
    try (NodePlugin plugin =
            NodePlugin.start(
                options(Optional.of("iqn.2026-12.test:given")), "1", new ScriptedRunner());
        UnixChannel csi = new UnixChannel(dir.resolve("csi/csi.sock"))) {
      var node = NodeGrpc.newBlockingStub(csi.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
      assertThat(node.nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId())
          .isEqualTo("iqn.2026-12.test:given");
    }
  }

  @Test
  void withoutAnInitiatorNameItDoesNotStart() throws Exception {
    NodePlugin.Options options = options(Optional.empty());
    Files.delete(options.initiatorNameFile());

    assertThatThrownBy(() -> NodePlugin.start(options, "1", new ScriptedRunner()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("install open-iscsi");
    assertThat(dir.resolve("csi/csi.sock")).doesNotExist();
  }
}
