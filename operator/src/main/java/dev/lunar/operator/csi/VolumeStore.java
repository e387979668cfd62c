package dev.lunar.operator.csi;

import dev.lunar.crds.api.v1alpha1.InitiatorAcl;
import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.crds.api.v1alpha1.IscsiTargetSpec;
import io.fabric8.kubernetes.api.model.storage.CSINode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The CSI controller's reads and writes of the cluster: volumes as IscsiTargets, IscsiLuns and
 * Secrets in the driver's namespace, pools, and the nodes kubelet registered with the driver. The
 * operator and the agents then serve the volumes exactly as they serve objects a person wrote.
 */
final class VolumeStore {

  private final KubernetesClient client;
  private final String namespace;

  VolumeStore(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  String namespace() {
    return namespace;
  }

  List<IscsiPool> pools() {
    return client.resources(IscsiPool.class).list().getItems();
  }

  IscsiLun lun(String name) {
    return client.resources(IscsiLun.class).inNamespace(namespace).withName(name).get();
  }

  /**
   * The IscsiNode of the agent on {@code node}: what it was asked to serve, and what it applied.
   */
  IscsiNode node(String node) {
    return client.resources(IscsiNode.class).withName(node).get();
  }

  IscsiTarget target(String name) {
    return client.resources(IscsiTarget.class).inNamespace(namespace).withName(name).get();
  }

  /** The driver's volumes, by name. */
  List<IscsiLun> volumes() {
    List<IscsiLun> volumes =
        new ArrayList<>(
            client
                .resources(IscsiLun.class)
                .inNamespace(namespace)
                .withLabel(VolumeObjects.MANAGED_BY, VolumeObjects.MANAGER)
                .list()
                .getItems());
    volumes.sort(Comparator.comparing(l -> l.getMetadata().getName()));
    return volumes;
  }

  /** Creates the target (or finds it from an earlier try), its CHAP Secret, then the LUN. */
  void create(IscsiTarget target, IscsiLun lun) {
    IscsiTarget created = createOrGet(target);
    createOrGet(VolumeObjects.chapSecret(created));
    createOrGet(lun);
  }

  /**
   * Deletes the LUN and the target; their finalizers withdraw the export first, then the agent
   * deletes the volume's file. The Secret goes with the target (owner reference).
   */
  void delete(String name) {
    client.resources(IscsiLun.class).inNamespace(namespace).withName(name).delete();
    client.resources(IscsiTarget.class).inNamespace(namespace).withName(name).delete();
  }

  /** Rewrites the target's initiator names with {@code change}; retried on a conflict. */
  void editInitiators(String name, UnaryOperator<List<String>> change) {
    client
        .resources(IscsiTarget.class)
        .inNamespace(namespace)
        .withName(name)
        .edit(
            target -> {
              IscsiTargetSpec spec = target.getSpec();
              InitiatorAcl acl = spec.initiators();
              List<String> names =
                  change.apply(
                      new ArrayList<>(
                          acl == null || acl.names() == null ? List.of() : acl.names()));
              List<String> addresses =
                  acl == null || acl.addresses() == null ? List.of() : acl.addresses();
              target.setSpec(
                  new IscsiTargetSpec(
                      spec.node(),
                      spec.iqn(),
                      spec.port(),
                      new InitiatorAcl(names, addresses),
                      spec.chap(),
                      spec.negotiation()));
              return target;
            });
  }

  /** Whether kubelet registered this driver on a node whose node id is {@code nodeId}. */
  boolean nodeRegistered(String nodeId) {
    for (CSINode node : client.storage().v1().csiNodes().list().getItems()) {
      if (node.getSpec() != null
          && node.getSpec().getDrivers() != null
          && node.getSpec().getDrivers().stream()
              .anyMatch(
                  d ->
                      dev.lunar.csi.IdentityService.DRIVER_NAME.equals(d.getName())
                          && Objects.equals(nodeId, d.getNodeID()))) {
        return true;
      }
    }
    return false;
  }

  private <T extends io.fabric8.kubernetes.api.model.HasMetadata> T createOrGet(T object) {
    try {
      return client.resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      return client.resource(object).get();
    }
  }
}
