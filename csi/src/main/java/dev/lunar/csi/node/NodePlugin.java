package dev.lunar.csi.node;

import csi.v1.Csi.PluginCapability;
import dev.lunar.csi.CsiEndpoint;
import dev.lunar.csi.IdentityService;
import dev.lunar.csi.health.HealthOptions;
import dev.lunar.csi.health.HealthServer;
import dev.lunar.csi.registration.RegistrationService;
import io.grpc.BindableService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node half of the CSI driver as one running thing: Identity and Node on the CSI socket, and
 * kubelet's Registration on a socket in kubelet's plugins_registry directory, which is how kubelet
 * learns the driver exists; optionally {@code /healthz} for kubelet's liveness probe, in place of
 * the livenessprobe sidecar.
 */
public final class NodePlugin implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodePlugin.class);

  /**
   * How to run.
   *
   * @param endpoint the CSI socket, as this process sees it
   * @param kubeletEndpoint the same socket as kubelet sees it, on the host
   * @param registrationDir kubelet's plugins_registry directory
   * @param nodeId the node ID to report; empty to read the initiator name
   * @param initiatorNameFile where open-iscsi keeps the initiator name
   * @param environment the host paths and this plugin's state directory
   * @param health where to serve {@code /healthz}; empty for none
   */
  public record Options(
      Path endpoint,
      String kubeletEndpoint,
      Path registrationDir,
      Optional<String> nodeId,
      Path initiatorNameFile,
      NodeEnvironment environment,
      Optional<HealthOptions> health) {}

  private final CsiEndpoint csi;
  private final CsiEndpoint registrationEndpoint;
  private final RegistrationService registration;
  private final Optional<HealthServer> health;

  private NodePlugin(
      CsiEndpoint csi,
      CsiEndpoint registrationEndpoint,
      RegistrationService registration,
      Optional<HealthServer> health) {
    this.csi = csi;
    this.registrationEndpoint = registrationEndpoint;
    this.registration = registration;
    this.health = health;
  }

  /** The registration socket's name in the plugins_registry directory. */
  public static String registrationSocketName() {
    return IdentityService.DRIVER_NAME + "-reg.sock";
  }

  /**
   * Serves the CSI socket first and only then the registration socket, since kubelet dials the CSI
   * endpoint as soon as it sees the registration one.
   *
   * @throws IOException when the node ID cannot be found or the state directory cannot be made
   */
  public static NodePlugin start(Options options, String version, CommandRunner runner)
      throws IOException {
    return start(options, version, runner, NodeReadiness.pathDirs());
  }

  /**
   * @param executableDirs where Probe looks for iscsiadm: the PATH, or a test's directories
   */
  static NodePlugin start(
      Options options, String version, CommandRunner runner, List<Path> executableDirs)
      throws IOException {
    String nodeId =
        options.nodeId().isPresent()
            ? options.nodeId().get()
            : InitiatorName.read(options.initiatorNameFile());
    Files.createDirectories(options.environment().stateDir());
    RegistrationService registration =
        new RegistrationService(IdentityService.DRIVER_NAME, options.kubeletEndpoint());
    Path registrationSocket = options.registrationDir().resolve(registrationSocketName());
    NodeReadiness readiness =
        new NodeReadiness(
            executableDirs,
            options.environment().stateDir(),
            registrationSocket,
            registration::lastStatus);
    List<BindableService> services =
        List.of(
            new IdentityService(version, List.<PluginCapability.Service.Type>of(), readiness),
            new NodeService(nodeId, runner, options.environment()));
    CsiEndpoint csi = CsiEndpoint.serve(options.endpoint(), services);
    CsiEndpoint registrationEndpoint;
    Optional<HealthServer> health;
    try {
      registrationEndpoint = CsiEndpoint.serve(registrationSocket, List.of(registration));
    } catch (RuntimeException e) {
      csi.close();
      throw e;
    }
    try {
      health = options.health().map(h -> HealthServer.start(h, options.endpoint(), readiness));
    } catch (RuntimeException e) {
      registrationEndpoint.close();
      csi.close();
      throw e;
    }
    LOG.info(
        "CSI node plugin for node {} on {} (kubelet dials {}), registration on {}",
        nodeId,
        csi.socket(),
        options.kubeletEndpoint(),
        registrationEndpoint.socket());
    return new NodePlugin(csi, registrationEndpoint, registration, health);
  }

  /** Whether kubelet has registered the driver: for a health check. */
  public boolean registered() {
    return registration.registered();
  }

  /** Where {@code /healthz} is served, when it is. */
  public Optional<InetSocketAddress> healthAddress() {
    return health.map(HealthServer::address);
  }

  /**
   * Closes the registration socket first, so kubelet stops using the driver before it goes, and the
   * health endpoint before the CSI socket it probes.
   */
  @Override
  public void close() {
    try {
      registrationEndpoint.close();
    } finally {
      try {
        health.ifPresent(HealthServer::close);
      } finally {
        csi.close();
      }
    }
  }
}
