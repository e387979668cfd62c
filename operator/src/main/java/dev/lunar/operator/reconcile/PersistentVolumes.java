package dev.lunar.operator.reconcile;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.crds.api.v1alpha1.PersistentVolumeRequest;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretReference;
import java.util.Map;
import java.util.Objects;

/**
 * The PersistentVolume an IscsiLun asks for: the in-tree {@code iscsi} volume source pointing at
 * the target's first portal, IQN and LUN, sized as the agent reports the LUN. With CHAP it names
 * the target's CHAP Secret, which then needs the kubelet's keys ({@code
 * node.session.auth.username}, {@code node.session.auth.password}); the operator accepts that
 * layout as well as {@code username}/{@code password}.
 */
final class PersistentVolumes {

  static final String LUN_NAMESPACE_LABEL = "iscsi.lunar.dev/lun-namespace";
  static final String LUN_NAME_LABEL = "iscsi.lunar.dev/lun-name";

  private PersistentVolumes() {}

  /** A name unique per IscsiLun across the cluster (PersistentVolumes are cluster-scoped). */
  static String name(IscsiLun lun) {
    return "lunar-" + lun.getMetadata().getNamespace() + "-" + lun.getMetadata().getName();
  }

  static PersistentVolume build(
      IscsiLun lun, IscsiTarget target, String portal, String iqn, Quantity size) {
    PersistentVolumeRequest request = lun.getSpec().persistentVolume();
    String accessMode =
        Objects.requireNonNullElse(
                request.accessMode(), PersistentVolumeRequest.AccessMode.ReadWriteOnce)
            .name();
    boolean readOnly =
        Boolean.TRUE.equals(lun.getSpec().readOnly()) || "ReadOnlyMany".equals(accessMode);
    String chapSecret =
        target.getSpec().chap() == null ? null : target.getSpec().chap().secretName();
    return new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName(name(lun))
        .withLabels(
            Map.of(
                LUN_NAMESPACE_LABEL,
                lun.getMetadata().getNamespace(),
                LUN_NAME_LABEL,
                lun.getMetadata().getName(),
                "app.kubernetes.io/managed-by",
                "lunar"))
        .endMetadata()
        .withNewSpec()
        .withCapacity(Map.of("storage", size))
        .withAccessModes(accessMode)
        .withPersistentVolumeReclaimPolicy(
            Objects.requireNonNullElse(
                    request.reclaimPolicy(), PersistentVolumeRequest.ReclaimPolicy.Retain)
                .name())
        .withStorageClassName(request.storageClassName())
        .withVolumeMode("Filesystem")
        .withNewIscsi()
        .withTargetPortal(portal)
        .withIqn(iqn)
        .withLun(lun.getSpec().lun())
        .withFsType(Objects.requireNonNullElse(request.fsType(), "ext4"))
        .withReadOnly(readOnly)
        .withChapAuthSession(chapSecret != null)
        .withSecretRef(
            chapSecret == null
                ? null
                : new SecretReference(chapSecret, lun.getMetadata().getNamespace()))
        .endIscsi()
        .endSpec()
        .build();
  }
}
