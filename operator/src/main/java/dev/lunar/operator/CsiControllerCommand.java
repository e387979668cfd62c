package dev.lunar.operator;

import dev.lunar.csi.CsiEndpoint;
import dev.lunar.operator.csi.CsiController;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.util.Objects;
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

      The Lunar CSI driver's controller (driver iscsi.lunar.dev): creates a volume as an
      IscsiTarget and an IscsiLun carved from an IscsiPool, in the namespace POD_NAMESPACE
      (default lunar-system), and publishes it by admitting a node's initiator name.

        --endpoint PATH   the Unix socket to serve on (default /csi/csi.sock)
      """;

  private CsiControllerCommand() {}

  static int run(String[] args) throws InterruptedException {
    Path socket = Path.of(DEFAULT_ENDPOINT);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-h", "--help" -> {
          System.out.print(USAGE);
          return 0;
        }
        case "--endpoint" -> {
          if (i + 1 == args.length) {
            System.err.print("--endpoint needs a path\n" + USAGE);
            return 2;
          }
          socket = Path.of(args[++i].replaceFirst("^unix://", ""));
        }
        default -> {
          System.err.print("unknown option " + args[i] + "\n" + USAGE);
          return 2;
        }
      }
    }
    String namespace = Objects.requireNonNullElse(System.getenv("POD_NAMESPACE"), "lunar-system");
    KubernetesClient client = new KubernetesClientBuilder().build();
    CsiEndpoint endpoint;
    try {
      endpoint = CsiController.serve(client, namespace, socket, version());
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
                  endpoint.close();
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
