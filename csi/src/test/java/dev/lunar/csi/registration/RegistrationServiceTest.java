package dev.lunar.csi.registration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.csi.CsiEndpoint;
import dev.lunar.csi.UnixChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pluginregistration.Api.InfoRequest;
import pluginregistration.Api.RegistrationStatus;
import pluginregistration.RegistrationGrpc;

/** Kubelet's side of plugin registration, played by a gRPC client over the registration socket. */
class RegistrationServiceTest {

  @TempDir Path dir;

  @Test
  void kubeletLearnsTheDriverAndItsEndpointAndTheAnswerIsRemembered() throws Exception {
    RegistrationService registration =
        new RegistrationService(
            "iscsi.lunar.dev", "/var/lib/kubelet/plugins/iscsi.lunar.dev/csi.sock");
    Path socket = dir.resolve("plugins_registry/iscsi.lunar.dev-reg.sock");
    try (CsiEndpoint endpoint = CsiEndpoint.serve(socket, List.of(registration));
        UnixChannel kubelet = new UnixChannel(socket)) {
      var client =
          RegistrationGrpc.newBlockingStub(kubelet.channel())
              .withDeadlineAfter(10, TimeUnit.SECONDS);

      var info = client.getInfo(InfoRequest.getDefaultInstance());

      assertThat(info.getType()).isEqualTo("CSIPlugin");
      assertThat(info.getName()).isEqualTo("iscsi.lunar.dev");
      assertThat(info.getEndpoint()).isEqualTo("/var/lib/kubelet/plugins/iscsi.lunar.dev/csi.sock");
      assertThat(info.getSupportedVersionsList()).containsExactly("1.0.0");
      assertThat(registration.registered()).isFalse();

      client.notifyRegistrationStatus(
          RegistrationStatus.newBuilder()
              .setPluginRegistered(false)
              .setError("no CSIDriver iscsi.lunar.dev")
              .build());
      assertThat(registration.registered()).isFalse();
      assertThat(registration.lastStatus())
          .get()
          .extracting(RegistrationStatus::getError)
          .isEqualTo("no CSIDriver iscsi.lunar.dev");

      client.notifyRegistrationStatus(
          RegistrationStatus.newBuilder().setPluginRegistered(true).build());
      assertThat(registration.registered()).isTrue();
    }
  }
}
