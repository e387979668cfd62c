package dev.lunar.agent.node;

import dev.lunar.agent.control.TgtdOptions;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code node} subcommand's options: the daemon's own ({@code --iscsi}, {@code --state-dir},
 * {@code --metrics-address}, {@code -C}) plus who this agent is.
 *
 * @param nodeName the Kubernetes node, from {@code --node-name} or {@code NODE_NAME}
 * @param namespace the agent's namespace, from {@code --namespace} or {@code POD_NAMESPACE}
 * @param daemon the options of the target daemon it runs
 * @param hostIps the node's addresses from {@code HOST_IP}, reported for a wildcard portal
 */
public record NodeOptions(
    String nodeName, String namespace, TgtdOptions daemon, List<InetAddress> hostIps) {

  public static final String USAGE =
      """
      Usage: target-agent.jar node [--node-name NAME] [--namespace NS] [--state-dir DIR]
                                   [--iscsi portal=HOST:PORT] [--metrics-address HOST:PORT] [-C N]
      Runs the agent for one Kubernetes node: watches IscsiNode NAME, serves what its spec asks,
      reports inventory, targets and sessions in its status. NAME defaults to $NODE_NAME, NS to
      $POD_NAMESPACE (else lunar-system), the state dir to /var/lib/lunar/state.
      A portal bound to 0.0.0.0 or :: is reported as the node's addresses: $HOST_IP (the pod's
      status.hostIP; comma-separated for dual-stack), else the host's interface addresses.
      """;

  public static NodeOptions parse(String[] args, Map<String, String> env) {
    String node = env.get("NODE_NAME");
    String namespace = env.getOrDefault("POD_NAMESPACE", "lunar-system");
    boolean stateDirGiven = false;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--node-name" -> node = value(args, ++i, "--node-name");
        case "--namespace" -> namespace = value(args, ++i, "--namespace");
        default -> {
          stateDirGiven |= args[i].startsWith("--state-dir");
          rest.add(args[i]);
        }
      }
    }
    if (!stateDirGiven) {
      rest.add("--state-dir");
      rest.add("/var/lib/lunar/state");
    }
    if (node == null || node.isBlank()) {
      throw new IllegalArgumentException("no node name: set NODE_NAME or pass --node-name");
    }
    return new NodeOptions(
        node,
        namespace,
        TgtdOptions.parse(rest.toArray(String[]::new)),
        PortalAddresses.parseHostIps(env.get("HOST_IP")));
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
