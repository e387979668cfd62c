package dev.lunar.agent;

import dev.lunar.agent.control.ConfigException;
import dev.lunar.agent.daemon.TgtdDaemon;
import dev.lunar.agent.node.NodeAgent;
import dev.lunar.agent.node.NodeOptions;
import dev.lunar.agent.node.inventory.DiskInventory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.time.Clock;

/**
 * {@code node}: the Kubernetes node agent. The target comes up first, from the state dir, so
 * exports survive an agent restart even while the API server is unreachable; then the agent
 * connects.
 */
final class NodeCommand {

  private NodeCommand() {}

  static int run(String[] args) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.print(NodeOptions.USAGE);
      return 0;
    }
    NodeOptions options;
    try {
      options = NodeOptions.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("node: " + e.getMessage());
      System.err.print(NodeOptions.USAGE);
      return 1;
    }
    TgtdDaemon daemon;
    try {
      daemon = TgtdDaemon.start(options.daemon());
    } catch (IOException | ConfigException e) {
      System.err.println("node: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    NodeAgent agent =
        new NodeAgent(options, client, daemon, DiskInventory.ofHost(), Clock.systemUTC());
    agent.start();
    daemon.stopOnShutdown();
    try {
      daemon.awaitStop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      agent.close();
      client.close();
      daemon.close();
    }
    return 0;
  }
}
