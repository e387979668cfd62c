package dev.lunar.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of the operator jar. Configured by the environment (see {@link OperatorSettings});
 * finds the API server like kubectl does (KUBECONFIG, ~/.kube/config, or in-cluster).
 */
public final class OperatorMain {

  private OperatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0 && args[0].equals("csi-controller")) {
      System.exit(CsiControllerCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length > 0) {
      boolean help = args[0].equals("--help") || args[0].equals("-h");
      System.out.println("Usage: java -jar operator.jar [csi-controller --help]");
      System.out.println(
          "The Lunar operator: reconciles IscsiTarget and IscsiLun into IscsiNode specs and"
              + " their status. Settings come from the environment: POD_NAMESPACE,"
              + " LUNAR_LEADER_ELECTION, LUNAR_LEASE_NAME, POD_NAME, LUNAR_METRICS_ADDRESS,"
              + " LUNAR_HEALTH_ADDRESS, LUNAR_LOG_LEVEL.");
      System.exit(help ? 0 : 2);
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    LunarOperator operator;
    try {
      operator = LunarOperator.start(client, OperatorSettings.fromEnvironment(System.getenv()));
    } catch (RuntimeException e) {
      System.err.println("lunar-operator: " + e.getMessage());
      client.close();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.close();
                  client.close();
                  stopped.countDown();
                },
                "operator-shutdown"));
    stopped.await();
  }
}
