package dev.lunar.operator.csi;

import dev.lunar.crds.api.v1alpha1.ChapAuth;
import dev.lunar.crds.api.v1alpha1.InitiatorAcl;
import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiLunSpec;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.crds.api.v1alpha1.IscsiTargetSpec;
import dev.lunar.crds.api.v1alpha1.LunBacking;
import dev.lunar.crds.api.v1alpha1.LunBacking.PoolBacking;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/**
 * The objects one CSI volume is made of, all named after it in the driver's namespace: an
 * IscsiTarget on the pool's node that admits nobody until the volume is published, LUN 1 of it
 * carved from the pool, and the CHAP Secret its initiators log in with. The Secret is owned by the
 * target, so the garbage collector removes it with the volume.
 */
final class VolumeObjects {

  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String MANAGER = "lunar-csi";
  static final String VOLUME_LABEL = "iscsi.lunar.dev/csi-volume";
  static final String CSI_NAME = "iscsi.lunar.dev/csi-name";
  static final String ACCESS = "iscsi.lunar.dev/csi-access";

  /** The CHAP password alphabet: letters and digits, safe in every initiator's configuration. */
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /** 24 characters of 62: 142 bits, well over RFC 7143's 96-bit floor for CHAP secrets. */
  private static final int PASSWORD_LENGTH = 24;

  private static final SecureRandom RANDOM = new SecureRandom();

  private VolumeObjects() {}

  static IscsiTarget target(
      VolumeRequest request, IscsiPool pool, String namespace, String access) {
    IscsiTarget target = new IscsiTarget();
    target.setMetadata(metadata(request, namespace, access));
    target.setSpec(
        new IscsiTargetSpec(
            pool.getSpec().node(),
            null,
            null,
            new InitiatorAcl(List.of(), List.of()),
            new ChapAuth(VolumeNames.secretName(request.objectName()), null),
            null));
    return target;
  }

  static IscsiLun lun(VolumeRequest request, IscsiPool pool, String namespace, String access) {
    IscsiLun lun = new IscsiLun();
    lun.setMetadata(metadata(request, namespace, access));
    lun.setSpec(
        new IscsiLunSpec(
            request.objectName(),
            1,
            new LunBacking(
                null,
                null,
                new PoolBacking(
                    pool.getMetadata().getName(),
                    new Quantity(Long.toString(request.sizeBytes())),
                    request.thin())),
            null,
            request.blockSize(),
            null,
            null,
            null,
            null));
    return lun;
  }

  /** The volume's CHAP account, owned by its target. */
  static Secret chapSecret(IscsiTarget target) {
    String name = target.getMetadata().getName();
    return new SecretBuilder()
        .withNewMetadata()
        .withName(VolumeNames.secretName(name))
        .withNamespace(target.getMetadata().getNamespace())
        .withLabels(Map.of(MANAGED_BY, MANAGER, VOLUME_LABEL, name))
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(target.getApiVersion())
                .withKind(target.getKind())
                .withName(name)
                .withUid(target.getMetadata().getUid())
                .build())
        .endMetadata()
        .withType("Opaque")
        .withStringData(Map.of("username", name, "password", password()))
        .build();
  }

  /** The size the volume asked for. */
  static long sizeBytes(IscsiLun lun) {
    PoolBacking pool = lun.getSpec().backing().pool();
    return pool == null ? 0 : Quantity.getAmountInBytes(pool.size()).longValue();
  }

  /**
   * The size the initiators see once the LUN is served, else the size asked for: a volume of a disk
   * pool is its whole disk, larger than asked as often as not, and CSI must answer the real size.
   */
  static long capacityBytes(IscsiLun lun) {
    if (lun.getStatus() != null && lun.getStatus().size() != null) {
      return Quantity.getAmountInBytes(lun.getStatus().size()).longValue();
    }
    return sizeBytes(lun);
  }

  static boolean ours(io.fabric8.kubernetes.api.model.HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels != null && MANAGER.equals(labels.get(MANAGED_BY));
  }

  private static ObjectMeta metadata(VolumeRequest request, String namespace, String access) {
    return new ObjectMetaBuilder()
        .withName(request.objectName())
        .withNamespace(namespace)
        .withLabels(Map.of(MANAGED_BY, MANAGER, VOLUME_LABEL, request.objectName()))
        .withAnnotations(Map.of(CSI_NAME, request.csiName(), ACCESS, access))
        .build();
  }

  private static String password() {
    StringBuilder password = new StringBuilder(PASSWORD_LENGTH);
    for (int i = 0; i < PASSWORD_LENGTH; i++) {
      password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return password.toString();
  }
}
