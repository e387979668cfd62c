package dev.lunar.operator.csi;

import csi.v1.Csi.PluginCapability;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.csi.CsiEndpoint;
import dev.lunar.csi.IdentityService;
import dev.lunar.csi.health.HealthOptions;
import dev.lunar.csi.health.HealthServer;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The CSI driver's controller side: Identity and Controller on one Unix socket, for
 * external-provisioner and external-attacher in the same pod, and optionally {@code /healthz} for
 * kubelet's liveness probe, which calls Probe over that socket (in place of the livenessprobe
 * sidecar; {@link HealthServer} says why in-process).
 */
public final class CsiController implements AutoCloseable {

  /** How long CreateVolume and DeleteVolume wait at most when the caller gives no deadline. */
  static final Duration LONGEST_WAIT = Duration.ofMinutes(2);

  private final CsiEndpoint endpoint;
  private final ApiServerReadiness readiness;
  private final Optional<HealthServer> health;

  private CsiController(
      CsiEndpoint endpoint, ApiServerReadiness readiness, Optional<HealthServer> health) {
    this.endpoint = endpoint;
    this.readiness = readiness;
    this.health = health;
  }

  /**
   * @param namespace where the volumes' IscsiTargets, IscsiLuns and CHAP Secrets are made: the
   *     driver's own namespace, since a volume is cluster infrastructure, not the claim's
   * @param health where to serve {@code /healthz}; empty for none
   */
  public static CsiController start(
      KubernetesClient client,
      String namespace,
      Path socket,
      String version,
      Optional<HealthOptions> health) {
    VolumeStore store = new VolumeStore(client, namespace);
    // Listing one pool needs what every CSI call needs: a reachable API server, a valid token and
    // the controller's RBAC (it may list pools), and the CRDs installed.
    ApiServerReadiness readiness =
        new ApiServerReadiness(
            () ->
                client
                    .resources(IscsiPool.class)
                    .list(new ListOptionsBuilder().withLimit(1L).build()),
            System::nanoTime);
    CsiEndpoint endpoint;
    try {
      endpoint =
          CsiEndpoint.serve(
              socket,
              List.of(
                  new IdentityService(
                      version,
                      List.of(PluginCapability.Service.Type.CONTROLLER_SERVICE),
                      readiness),
                  new ControllerService(store, new VolumeWait(store, LONGEST_WAIT))));
    } catch (RuntimeException e) {
      readiness.close();
      throw e;
    }
    try {
      return new CsiController(
          endpoint, readiness, health.map(h -> HealthServer.start(h, socket, readiness)));
    } catch (RuntimeException e) {
      endpoint.close();
      readiness.close();
      throw e;
    }
  }

  public Path socket() {
    return endpoint.socket();
  }

  /** Where {@code /healthz} is served, when it is. */
  public Optional<InetSocketAddress> healthAddress() {
    return health.map(HealthServer::address);
  }

  @Override
  public void close() {
    try {
      health.ifPresent(HealthServer::close);
    } finally {
      endpoint.close();
      readiness.close();
    }
  }
}
