package dev.lunar.agent;

import dev.lunar.agent.daemon.Version;
import dev.lunar.csi.health.HealthOptions;
import dev.lunar.csi.node.InitiatorName;
import dev.lunar.csi.node.NodeEnvironment;
import dev.lunar.csi.node.NodePlugin;
import dev.lunar.csi.node.ProcessCommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code csi-node}: the CSI driver's node plugin (module csi, package dev.lunar.csi.node), with
 * kubelet's plugin registration built in instead of the node-driver-registrar sidecar. This class
 * only reads the options and runs it until SIGTERM, which closes both sockets and removes them.
 */
final class CsiNodeCommand {

  static final String USAGE =
      """
      Usage: target-agent.jar csi-node [--endpoint PATH] [--kubelet-endpoint PATH]
                                       [--registration-dir DIR] [--node-id ID] [--state-dir DIR]
                                       [--initiator-name-file FILE]
                                       [--health-address HOST:PORT] [--probe-timeout DURATION]
      Runs the Lunar CSI driver's node plugin: CSI Identity and Node on --endpoint, and kubelet's
      plugin registration on DIR/iscsi.lunar.dev-reg.sock.
        --endpoint PATH          the CSI socket in this container (default /csi/csi.sock)
        --kubelet-endpoint PATH  the same socket as kubelet sees it on the host
                                 (default /var/lib/kubelet/plugins/iscsi.lunar.dev/csi.sock)
        --registration-dir DIR   kubelet's plugin registry (default /var/lib/kubelet/plugins_registry)
        --node-id ID             the node ID to report (default: this node's iSCSI initiator name)
        --state-dir DIR          the staging records, a host path (default /var/lib/lunar/csi)
        --initiator-name-file F  where open-iscsi keeps the initiator name
                                 (default /etc/iscsi/initiatorname.iscsi)
        --health-address HOST:PORT
                                 serve /healthz there for kubelet's liveness probe: each request
                                 calls Probe on --endpoint (default: no health endpoint)
        --probe-timeout DURATION how long that Probe may take, e.g. 500ms or 2s (default 1s)
      A PATH may also be written unix://PATH.
      """;

  private CsiNodeCommand() {}

  static int run(String[] args) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.print(USAGE);
      return 0;
    }
    NodePlugin.Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("csi-node: " + e.getMessage());
      System.err.print(USAGE);
      return 1;
    }
    NodePlugin plugin;
    try {
      plugin = NodePlugin.start(options, Version.current(), new ProcessCommandRunner());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("csi-node: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  plugin.close();
                  stopped.countDown();
                },
                "csi-node-stop"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  static NodePlugin.Options parse(String[] args) {
    Path endpoint = Path.of("/csi/csi.sock");
    String kubeletEndpoint = "/var/lib/kubelet/plugins/iscsi.lunar.dev/csi.sock";
    Path registrationDir = Path.of("/var/lib/kubelet/plugins_registry");
    Optional<String> nodeId = Optional.empty();
    Path stateDir = Path.of("/var/lib/lunar/csi");
    Path initiatorNameFile = InitiatorName.DEFAULT_FILE;
    Optional<InetSocketAddress> healthAddress = Optional.empty();
    Duration probeTimeout = HealthOptions.DEFAULT_PROBE_TIMEOUT;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      String value;
      int equals = option.indexOf('=');
      if (option.startsWith("--") && equals > 0) {
        value = option.substring(equals + 1);
        option = option.substring(0, equals);
      } else {
        value = ++i < args.length ? args[i] : null;
      }
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      switch (option) {
        case "--endpoint" -> endpoint = Path.of(socketPath(value));
        case "--kubelet-endpoint" -> kubeletEndpoint = socketPath(value);
        case "--registration-dir" -> registrationDir = Path.of(value);
        case "--node-id" -> nodeId = Optional.of(value);
        case "--state-dir" -> stateDir = Path.of(value);
        case "--initiator-name-file" -> initiatorNameFile = Path.of(value);
        case "--health-address" -> healthAddress = Optional.of(HealthOptions.address(value));
        case "--probe-timeout" -> probeTimeout = HealthOptions.timeout(value);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    Duration timeout = probeTimeout;
    return new NodePlugin.Options(
        endpoint,
        kubeletEndpoint,
        registrationDir,
        nodeId,
        initiatorNameFile,
        NodeEnvironment.host(stateDir),
        healthAddress.map(address -> new HealthOptions(address, timeout)));
  }

  /** Kubelet dials a plain path, so a CSI-style unix:// address is reduced to one. */
  private static String socketPath(String value) {
    String path = value.startsWith("unix://") ? value.substring("unix://".length()) : value;
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("socket " + value + " is not an absolute path");
    }
    return path;
  }
}
