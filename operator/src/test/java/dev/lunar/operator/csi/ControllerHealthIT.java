package dev.lunar.operator.csi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.csi.health.HealthOptions;
import dev.lunar.operator.RealApiServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSI controller's {@code /healthz} against the real API server: 200 while the server answers
 * the controller's client, 500 naming the API server once it is gone.
 */
class ControllerHealthIT {

  @TempDir Path dir;

  @Test
  void healthyWhileTheApiServerAnswersAndNotOnceItStops() throws Exception {
    RealApiServer apiServer = RealApiServer.start();
    try {
      apiServer.applyCommittedCrds();
      // No retries: the check should see the stopped server at once, not after fabric8's back-off
      // (the production client retries, which the hung-request rule covers;
      // ApiServerReadinessTest).
      Config config = Config.fromKubeconfig(apiServer.kubeConfigYaml());
      config.setRequestRetryBackoffLimit(0);
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
          CsiController controller =
              CsiController.start(
                  client,
                  "lunar-system",
                  dir.resolve("csi.sock"),
                  "it",
                  Optional.of(
                      new HealthOptions(
                          new InetSocketAddress("127.0.0.1", 0), Duration.ofSeconds(1))))) {
        InetSocketAddress health = controller.healthAddress().orElseThrow();
        HttpResponse<String> ready = await(health, 200, Duration.ofSeconds(20));
        assertThat(ready.body()).isEqualTo("ok\n");

        apiServer.close();
        apiServer = null;
        HttpResponse<String> gone = await(health, 500, ApiServerReadiness.RECHECK.plusSeconds(20));

        assertThat(gone.body()).contains("not ready", "the API server did not answer");
      }
    } finally {
      if (apiServer != null) {
        apiServer.close();
      }
    }
  }

  private static HttpResponse<String> await(InetSocketAddress health, int status, Duration within)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.getPort() + "/healthz"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + within.toNanos();
    HttpResponse<String> last = http.send(request, HttpResponse.BodyHandlers.ofString());
    while (last.statusCode() != status && System.nanoTime() < deadline) {
      Thread.sleep(200);
      last = http.send(request, HttpResponse.BodyHandlers.ofString());
    }
    assertThat(last.statusCode()).as("/healthz said: %s", last.body()).isEqualTo(status);
    return last;
  }
}
