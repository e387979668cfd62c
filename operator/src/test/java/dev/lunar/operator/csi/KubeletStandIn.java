package dev.lunar.operator.csi;

import dev.lunar.csi.IdentityService;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.storage.CSIDriverBuilder;
import io.fabric8.kubernetes.api.model.storage.CSINodeBuilder;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachmentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The objects kubelet, the driver's registration and kube-controller-manager's attach-detach
 * controller write for a node, for a test with an API server and no kubelet.
 */
final class KubeletStandIn {

  private static final String DRIVER = IdentityService.DRIVER_NAME;

  private KubeletStandIn() {}

  /**
   * The Node, the CSINode listing the driver with {@code nodeId} (what the node plugin's
   * NodeGetInfo answers: the node's initiator name) and the CSIDriver object of the chart.
   */
  static void register(KubernetesClient client, String node, String nodeId) {
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build())
        .create();
    client
        .storage()
        .v1()
        .csiNodes()
        .resource(
            new CSINodeBuilder()
                .withNewMetadata()
                .withName(node)
                .endMetadata()
                .withNewSpec()
                .addNewDriver()
                .withName(DRIVER)
                .withNodeID(nodeId)
                .endDriver()
                .endSpec()
                .build())
        .create();
    client
        .storage()
        .v1()
        .csiDrivers()
        .resource(
            new CSIDriverBuilder()
                .withNewMetadata()
                .withName(DRIVER)
                .endMetadata()
                .withNewSpec()
                .withAttachRequired(true)
                .withPodInfoOnMount(false)
                .endSpec()
                .build())
        .create();
  }

  /**
   * The VolumeAttachment the attach-detach controller writes when a pod on {@code node} uses the PV
   * {@code volume}, under the name it gives it.
   */
  static VolumeAttachment attachment(String volume, String node) {
    return new VolumeAttachmentBuilder()
        .withNewMetadata()
        .withName(attachmentName(volume, node))
        .endMetadata()
        .withNewSpec()
        .withAttacher(DRIVER)
        .withNodeName(node)
        .withNewSource()
        .withPersistentVolumeName(volume)
        .endSource()
        .endSpec()
        .build();
  }

  /** {@code csi-} and the SHA-256 of volume handle, driver and node, as the controller names it. */
  private static String attachmentName(String volumeHandle, String node) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((volumeHandle + DRIVER + node).getBytes(StandardCharsets.UTF_8));
      return "csi-" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
