package dev.lunar.operator.csi;

import csi.v1.Csi.PluginCapability;
import dev.lunar.csi.CsiEndpoint;
import dev.lunar.csi.IdentityService;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The CSI driver's controller side: Identity and Controller on one Unix socket, for
 * external-provisioner and external-attacher in the same pod.
 */
public final class CsiController {

  /** How long CreateVolume and DeleteVolume wait at most when the caller gives no deadline. */
  static final Duration LONGEST_WAIT = Duration.ofMinutes(2);

  private CsiController() {}

  /**
   * @param namespace where the volumes' IscsiTargets, IscsiLuns and CHAP Secrets are made: the
   *     driver's own namespace, since a volume is cluster infrastructure, not the claim's
   */
  public static CsiEndpoint serve(
      KubernetesClient client, String namespace, Path socket, String version) {
    VolumeStore store = new VolumeStore(client, namespace);
    return CsiEndpoint.serve(
        socket,
        List.of(
            new IdentityService(
                version, List.of(PluginCapability.Service.Type.CONTROLLER_SERVICE), () -> true),
            new ControllerService(store, new VolumeWait(store, LONGEST_WAIT))));
  }
}
