package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;

/**
 * A pool's space. Volumes count at their full provisioned size, thin or thick, so the pool never
 * promises more than it has: {@code free = capacity - allocated}, and never more than the
 * filesystem has free.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IscsiPoolStatus(
    @JsonPropertyDescription(
            "Ready when the node's agent measured the pool; False with the reason otherwise.")
        List<Condition> conditions,
    @JsonPropertyDescription("The metadata.generation this status describes.")
        Long observedGeneration,
    @JsonPropertyDescription("Space for volumes in bytes.") Long capacityBytes,
    @JsonPropertyDescription("Bytes promised to the pool's volumes.") Long allocatedBytes,
    @JsonPropertyDescription("Bytes a new volume may still take.") Long freeBytes,
    @JsonPropertyDescription(
            "The largest volume one new volume may be: freeBytes for a directory pool, the"
                + " largest free disk for a disk pool (a volume never spans disks).")
        Long maxVolumeBytes,
    @JsonPropertyDescription("capacityBytes as a quantity, for people.") Quantity capacity,
    @JsonPropertyDescription("freeBytes as a quantity, for people.") Quantity free,
    @JsonPropertyDescription("Number of volumes in the pool.") Integer volumeCount,
    @JsonPropertyDescription(
            "For a disk pool: its disks, free or holding a volume. Absent for a directory pool.")
        List<PoolDisk> disks) {

  /** One disk of a disk pool. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PoolDisk(
      @JsonPropertyDescription("The disk's /dev/disk/by-id path.") String path,
      @JsonPropertyDescription("Size in bytes.") Long sizeBytes,
      @JsonPropertyDescription("The IscsiLun (namespace/name) whose volume it is; absent: free.")
          String volume) {}
}
