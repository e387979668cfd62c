package dev.lunar.csi;

import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.Csi.GetPluginCapabilitiesRequest;
import csi.v1.Csi.GetPluginInfoRequest;
import csi.v1.Csi.PluginCapability;
import csi.v1.Csi.ProbeRequest;
import csi.v1.IdentityGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsiEndpointTest {

  @TempDir Path dir;

  @Test
  void identityAnswersOverTheUnixSocketAndProbeFollowsReadiness() throws Exception {
    AtomicBoolean ready = new AtomicBoolean(false);
    Path socket = dir.resolve("csi/csi.sock");
    // A stale socket file from a crashed process must not stop the next one.
    Files.createDirectories(socket.getParent());
    Files.writeString(socket, "stale");
    Files.writeString(socket.resolveSibling(".csi.sock.starting"), "stale too");
    IdentityService identity =
        new IdentityService(
            "1.2.3",
            List.of(PluginCapability.Service.Type.CONTROLLER_SERVICE),
            () -> ready.get() ? Optional.empty() : Optional.of("not yet"));
    try (CsiEndpoint endpoint = CsiEndpoint.serve(socket, List.of(identity))) {
      try (UnixChannel channel = new UnixChannel(socket)) {
        var client =
            IdentityGrpc.newBlockingStub(channel.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
        var info = client.getPluginInfo(GetPluginInfoRequest.getDefaultInstance());
        assertThat(info.getName()).isEqualTo("iscsi.lunar.dev");
        assertThat(info.getVendorVersion()).isEqualTo("1.2.3");
        assertThat(
                client
                    .getPluginCapabilities(GetPluginCapabilitiesRequest.getDefaultInstance())
                    .getCapabilitiesList())
            .extracting(c -> c.getService().getType())
            .containsExactly(PluginCapability.Service.Type.CONTROLLER_SERVICE);
        assertThat(client.probe(ProbeRequest.getDefaultInstance()).getReady().getValue()).isFalse();
        ready.set(true);
        assertThat(client.probe(ProbeRequest.getDefaultInstance()).getReady().getValue()).isTrue();
      }
      assertThat(endpoint.socket()).exists();
      // The name it listened on while it warmed up was renamed to the socket, not left behind.
      try (var files = Files.list(socket.getParent())) {
        assertThat(files).containsExactly(socket);
      }
    }
    assertThat(socket).doesNotExist();
  }
}
