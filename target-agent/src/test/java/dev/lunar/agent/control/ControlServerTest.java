package dev.lunar.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunar.agent.tgtadm.ControlClient;
import dev.lunar.agent.tgtadm.ControlProtocol;
import dev.lunar.agent.tgtadm.TgtadmError;
import dev.lunar.agent.tgtadm.TgtadmReply;
import dev.lunar.agent.tgtadm.TgtadmRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {

  @TempDir Path dir;

  private ControlService service() {
    return new ControlService(new FakeEngine(), StateStore.none(), () -> {});
  }

  @Test
  void requestAndReplyRoundTripOverTheSocket() throws IOException {
    Path controlDir = dir.resolve("run");
    try (ControlServer server = ControlServer.start(controlDir, 17, service())) {
      assertThat(server.socket()).isEqualTo(controlDir.resolve("tgtd.17.sock"));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(controlDir)))
          .isEqualTo("rwx------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socket())))
          .isEqualTo("rw-------");
      ControlClient client = ControlClient.forPort(controlDir, 17);
      // A user name carries any bytes; a newline and a backslash must survive the framing.
      TgtadmReply created =
          client.send(
              new TgtadmRequest(
                  "account", "new", Map.of("user", "multi\nline\\", "password", "pw")));
      assertThat(created).isEqualTo(TgtadmReply.ok());
      TgtadmReply shown = client.send(new TgtadmRequest("account", "show", Map.of()));
      assertThat(shown.output()).isEqualTo("Account list:\n    multi\nline\\\n");
      assertThat(client.send(new TgtadmRequest("target", "show", Map.of("tid", "4"))).error())
          .isEqualTo(TgtadmError.NO_TARGET);
    }
    assertThat(Files.exists(controlDir.resolve("tgtd.17.sock"))).isFalse();
  }

  @Test
  void noDaemonIsReportedAsUnreachable() {
    ControlClient client = ControlClient.forPort(dir, 3);
    assertThatThrownBy(() -> client.send(new TgtadmRequest("target", "show", Map.of())))
        .isInstanceOf(ControlClient.DaemonUnreachableException.class);
  }

  @Test
  void aSecondDaemonOnTheSamePortIsRefusedButAStaleSocketIsReplaced() throws IOException {
    try (ControlServer first = ControlServer.start(dir, 5, service())) {
      assertThatThrownBy(() -> ControlServer.start(dir, 5, service()))
          .hasMessageContaining("already listens on control port 5");
    }
    Files.createFile(dir.resolve("tgtd.5.sock"));
    try (ControlServer again = ControlServer.start(dir, 5, service())) {
      assertThat(ControlClient.answers(again.socket())).isTrue();
    }
  }

  @Test
  void oversizedOrMalformedFramesAreDroppedWithoutHarm() throws Exception {
    try (ControlServer server = ControlServer.start(dir, 6, service())) {
      try (var channel =
          java.nio.channels.SocketChannel.open(
              java.net.UnixDomainSocketAddress.of(server.socket()))) {
        ControlProtocol.writeFrame(channel, new byte[0]);
        assertThat(channel.read(java.nio.ByteBuffer.allocate(8))).isEqualTo(-1);
      }
      ControlClient client = new ControlClient(server.socket());
      assertThat(client.send(new TgtadmRequest("account", "show", Map.of())).output())
          .isEqualTo("Account list:\n");
    }
  }
}
