package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Asks the operator to create an iSCSI PersistentVolume for a LUN. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PersistentVolumeRequest(
    @JsonPropertyDescription("storageClassName of the PersistentVolume, for claims to match.")
        String storageClassName,
    @JsonPropertyDescription("Filesystem the kubelet creates and mounts (ext4 by default).")
        @Default("ext4")
        String fsType,
    @JsonPropertyDescription("Access mode of the volume.") @Default("ReadWriteOnce")
        AccessMode accessMode,
    @JsonPropertyDescription("What happens to the volume when its claim goes away.")
        @Default("Retain")
        ReclaimPolicy reclaimPolicy) {

  /** Access modes an iSCSI volume supports. */
  public enum AccessMode {
    ReadWriteOnce,
    ReadOnlyMany
  }

  /** Reclaim policies; the LUN itself is never deleted by Kubernetes. */
  public enum ReclaimPolicy {
    Retain,
    Delete
  }
}
