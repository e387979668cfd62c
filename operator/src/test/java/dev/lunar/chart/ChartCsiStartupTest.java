package dev.lunar.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.chart.Rendered.K8sObject;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator pod's start order as the chart renders it: the sidecars exit when the CSI socket
 * they dial is not there within 30 s of their own start, so csi-controller's postStart hook holds
 * them back (kubelet starts a pod's later containers once an earlier one's hook returns) until the
 * socket exists, for at most {@code csi.controller.socketWaitSeconds}. The hook's script is run
 * here against a real socket.
 */
class ChartCsiStartupTest {

  private static final String SOCKET = "/csi/csi.sock";

  @TempDir Path dir;

  @Test
  void theControllerComesBeforeTheSidecarsAndItsHookWatchesTheSocketTheyDial() {
    K8sObject operator = operator(LunarChart.renderedDefault());
    List<String> names =
        operator.list("spec.template.spec.containers").stream()
            .map(c -> (String) c.get("name"))
            .toList();

    assertThat(names.indexOf("csi-controller"))
        .isNotNegative()
        .isLessThan(names.indexOf("csi-provisioner"))
        .isLessThan(names.indexOf("csi-attacher"));
    assertThat(args(operator, "csi-controller")).containsSequence("--endpoint", SOCKET);
    assertThat(args(operator, "csi-provisioner")).contains("--csi-address=" + SOCKET);
    assertThat(args(operator, "csi-attacher")).contains("--csi-address=" + SOCKET);
    assertThat(hookScript(operator)).contains("-S " + SOCKET);
  }

  @Test
  void theHookReturnsOnceTheSocketListensAndNotForAPlainFile() throws Exception {
    Path socket = dir.resolve("csi.sock");
    Process hook = run(hookScript(operator(LunarChart.renderedDefault())), socket);
    try {
      Files.writeString(socket, "not a socket");
      assertThat(hook.waitFor(1, TimeUnit.SECONDS)).as("returned without a socket").isFalse();
      Files.delete(socket);
      try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        server.bind(UnixDomainSocketAddress.of(socket));
        assertThat(hook.waitFor(10, TimeUnit.SECONDS)).as("returned once it listens").isTrue();
      }
      assertThat(hook.exitValue()).isZero();
    } finally {
      hook.destroyForcibly();
    }
  }

  @Test
  void theWaitIsBoundedByItsValueAndThenLetsTheSidecarsStartAnyway() throws Exception {
    Path values = dir.resolve("values.yaml");
    Files.writeString(values, "csi: {controller: {socketWaitSeconds: 1}}\n");
    String script = hookScript(operator(LunarChart.rendered(values)));
    Process hook = run(script, dir.resolve("never.sock"));
    try {
      assertThat(hook.waitFor(10, TimeUnit.SECONDS)).as("gave up after its bound").isTrue();
      assertThat(hook.exitValue()).as("a failed hook would kill the controller").isZero();
    } finally {
      hook.destroyForcibly();
    }
  }

  private static Process run(String script, Path socket) throws IOException {
    return new ProcessBuilder("/bin/sh", "-c", script.replace(SOCKET, socket.toString()))
        .redirectErrorStream(true)
        .start();
  }

  private static K8sObject operator(Rendered rendered) {
    return rendered.get("Deployment", "lunar-operator");
  }

  @SuppressWarnings("unchecked")
  private static List<String> args(K8sObject operator, String name) {
    return (List<String>) operator.container(name).get("args");
  }

  /** The {@code sh -c} script of csi-controller's postStart hook. */
  @SuppressWarnings("unchecked")
  private static String hookScript(K8sObject operator) {
    var lifecycle = (Map<String, Object>) operator.container("csi-controller").get("lifecycle");
    var postStart = (Map<String, Object>) lifecycle.get("postStart");
    var command = (List<String>) ((Map<String, Object>) postStart.get("exec")).get("command");
    assertThat(command.subList(0, 2)).containsExactly("/bin/sh", "-c");
    return command.get(2);
  }
}
