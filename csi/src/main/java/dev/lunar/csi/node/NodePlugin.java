package dev.lunar.csi.node;

import csi.v1.Csi.PluginCapability;
import dev.lunar.csi.CsiEndpoint;
import dev.lunar.csi.IdentityService;
import dev.lunar.csi.registration.RegistrationService;
import io.grpc.BindableService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node half of the CSI driver as one running thing: Identity and Node on the CSI socket, and
 * kubelet's Registration on a socket in kubelet's plugins_registry directory, which is how kubelet
 * learns the driver exists.
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
   */
  public record Options(
      Path endpoint,
      String kubeletEndpoint,
      Path registrationDir,
      Optional<String> nodeId,
      Path initiatorNameFile,
      NodeEnvironment environment) {}

  private final CsiEndpoint csi;
  private final CsiEndpoint registrationEndpoint;
  private final RegistrationService registration;

  private NodePlugin(
      CsiEndpoint csi, CsiEndpoint registrationEndpoint, RegistrationService registration) {
    this.csi = csi;
    this.registrationEndpoint = registrationEndpoint;
    this.registration = registration;
  }

  /** The registration socket's name in the plugins_registry directory. */
  public static String registrationSocketName() {
    return IdentityService.DRIVER_NAME + "-reg.sock";
  }

  /**
   * Serves the CSI socket first and only then the registration socket, since kubelet dials the CSI
   * endpoint as soon as it sees the registration one.
   *
   * @throws IOException when the node ID cannot be found
   */
  public static NodePlugin start(Options options, String version, CommandRunner runner)
      throws IOException {
    String nodeId =
        options.nodeId().isPresent()
            ? options.nodeId().get()
            : InitiatorName.read(options.initiatorNameFile());
    List<BindableService> services =
        List.of(
            new IdentityService(version, List.<PluginCapability.Service.Type>of(), () -> true),
            new NodeService(nodeId, runner, options.environment()));
    CsiEndpoint csi = CsiEndpoint.serve(options.endpoint(), services);
    RegistrationService registration =
        new RegistrationService(IdentityService.DRIVER_NAME, options.kubeletEndpoint());
    CsiEndpoint registrationEndpoint;
    try {
      registrationEndpoint =
          CsiEndpoint.serve(
              options.registrationDir().resolve(registrationSocketName()), List.of(registration));
    } catch (RuntimeException e) {
      csi.close();
      throw e;
    }
    LOG.info(
        "CSI node plugin for node {} on {} (kubelet dials {}), registration on {}",
        nodeId,
        csi.socket(),
        options.kubeletEndpoint(),
        registrationEndpoint.socket());
    return new NodePlugin(csi, registrationEndpoint, registration);
  }

  /** Whether kubelet has registered the driver: for a health check. */
  public boolean registered() {
    return registration.registered();
  }

  /** Closes the registration socket first, so kubelet stops using the driver before it goes. */
  @Override
  public void close() {
    try {
      registrationEndpoint.close();
    } finally {
      csi.close();
    }
  }
}
