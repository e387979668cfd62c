package dev.lunar.operator;

import dev.lunar.csi.health.HealthOptions;
import dev.lunar.operator.csi.CsiController;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code csi-controller}: the CSI driver's Identity and Controller services on a Unix socket, run
 * as a container of the operator's pod beside external-provisioner and external-attacher.
 */
final class CsiControllerCommand {

  static final String DEFAULT_ENDPOINT = "/csi/csi.sock";

  private static final String USAGE =
      """
      Usage: java -jar operator.jar csi-controller [--endpoint PATH]
                 [--health-address HOST:PORT] [--probe-timeout DURATION]

      The Lunar CSI driver's controller (driver iscsi.lunar.dev): creates a volume as an
      IscsiTarget and an IscsiLun carved from an IscsiPool, in the namespace POD_NAMESPACE
      (default lunar-system), and publishes it by admitting a node's initiator name.

        --endpoint PATH             the Unix socket to serve on (default /csi/csi.sock)
        --health-address HOST:PORT  serve /healthz there for kubelet's liveness probe: each
                                    request calls Probe on the socket, which is ready while the
                                    API server answers (default: no health endpoint)
        --probe-timeout DURATION    how long that Probe may take, e.g. 500ms or 2s (default 1s)
      """;

  private CsiControllerCommand() {}

  static int run(String[] args) throws InterruptedException {
    Path socket = Path.of(DEFAULT_ENDPOINT);
    Optional<InetSocketAddress> healthAddress = Optional.empty();
    Duration probeTimeout = HealthOptions.DEFAULT_PROBE_TIMEOUT;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("-h") || option.equals("--help")) {
        System.out.print(USAGE);
        return 0;
      }
      if (i + 1 == args.length) {
        System.err.print(option + " needs a value\n" + USAGE);
        return 2;
      }
      String value = args[++i];
      try {
        switch (option) {
          case "--endpoint" -> socket = Path.of(value.replaceFirst("^unix://", ""));
          case "--health-address" -> healthAddress = Optional.of(HealthOptions.address(value));
          case "--probe-timeout" -> probeTimeout = HealthOptions.timeout(value);
          default -> {
            System.err.print("unknown option " + option + "\n" + USAGE);
            return 2;
          }
        }
      } catch (IllegalArgumentException e) {
        System.err.print(e.getMessage() + "\n" + USAGE);
        return 2;
      }
    }
    Duration timeout = probeTimeout;
    Optional<HealthOptions> health = healthAddress.map(a -> new HealthOptions(a, timeout));
    String namespace = Objects.requireNonNullElse(System.getenv("POD_NAMESPACE"), "lunar-system");
    KubernetesClient client = new KubernetesClientBuilder().build();
    CsiController controller;
    try {
      controller = CsiController.start(client, namespace, socket, version(), health);
    } catch (RuntimeException e) {
      System.err.println("lunar csi-controller: " + e.getMessage());
      client.close();
      return 1;
    }
    System.err.println("lunar csi-controller: serving CSI on " + socket);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  controller.close();
                  client.close();
                  stopped.countDown();
                },
                "csi-controller-shutdown"));
    stopped.await();
    return 0;
  }

  private static String version() {
    String version = CsiControllerCommand.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
