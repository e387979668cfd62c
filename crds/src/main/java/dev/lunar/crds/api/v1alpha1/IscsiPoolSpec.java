package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;

/**
 * Where a pool's space is: exactly one kind, a directory, an LVM volume group or whole disks. A
 * volume lives where the pool put it for the volume's whole life, so neither the node, the kind,
 * the directory nor the volume group may change once set (a disk pool's selection may: it applies
 * to disks not yet given to a volume).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = Syntax.EXACTLY_ONE_POOL_KIND,
    message = Syntax.EXACTLY_ONE_POOL_KIND_MESSAGE)
@ValidationRule(value = Syntax.POOL_KIND_IMMUTABLE, message = "the pool's kind is immutable")
public record IscsiPoolSpec(
    @JsonPropertyDescription("Name of the Kubernetes node whose agent holds the pool.")
        @Required
        @Size(min = 1, max = 253)
        @ValidationRule(value = "self == oldSelf", message = "node is immutable")
        String node,
    @JsonPropertyDescription(
            "A directory of files, one per volume: sparse for thin volumes, allocated up front for"
                + " thick ones.")
        DirectoryPool directory,
    @JsonPropertyDescription(
            "An LVM volume group, one logical volume per volume: thin volumes in its thin pool when"
                + " it names one, linear (thick, zeroed before use) ones otherwise.")
        VolumeGroupPool volumeGroup,
    @JsonPropertyDescription(
            "Whole disks of the node, one per volume: each volume gets the smallest free disk at"
                + " least as large as it asks, and its size is that disk's size. thin does not"
                + " apply. Only disks the node's inventory calls safe (no partitions, signature,"
                + " mount or holder) and that have a /dev/disk/by-id name join the pool; the agent"
                + " zeroes a disk before it serves it as a new volume, and again once the volume"
                + " is deleted.")
        DiskPool disks) {

  /** A directory on the node; each volume is a file in it named after the IscsiLun's UID. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DirectoryPool(
      @JsonPropertyDescription(
              "Absolute path of the directory on the node; the agent creates it when missing.")
          @Required
          @Pattern(Syntax.ABSOLUTE_PATH)
          @Size(max = 4096)
          @ValidationRule(value = "self == oldSelf", message = "path is immutable")
          String path,
      @JsonPropertyDescription(
              "At most this much space for volumes (a quantity such as 500Gi); default: the size"
                  + " of the filesystem that holds the directory.")
          Quantity capacity) {}

  /**
   * An existing LVM volume group on the node; each volume is a logical volume in it named after the
   * IscsiLun's UID and tagged as Lunar's, so Lunar never touches another logical volume of the
   * group. The whole entry is immutable: volumes already made live in that group and pool.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "self == oldSelf", message = "volumeGroup is immutable")
  public record VolumeGroupPool(
      @JsonPropertyDescription("Name of the volume group, which must exist on the node.")
          @Required
          @Pattern(Syntax.LVM_NAME)
          @Size(min = 1, max = Syntax.LVM_NAME_MAX)
          String name,
      @JsonPropertyDescription(
              "Name of an existing thin-pool logical volume of the group, for thin volumes; without"
                  + " it every volume is a linear logical volume, fully allocated and zeroed.")
          @Pattern(Syntax.LVM_NAME)
          @Size(min = 1, max = Syntax.LVM_NAME_MAX)
          String thinPool) {}

  /**
   * Which of the node's safe disks belong to the pool; every field narrows the choice, and an empty
   * object takes every safe disk of the node. A change applies to disks not yet given to a volume:
   * a disk already holding a volume stays with it whatever the selection says now.
   */
  // The rule sits on the class, as InitiatorAcl's do; the item lengths bound its estimated cost.
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = Syntax.ALL_BY_ID_PATTERNS,
      fieldPath = ".byIdPatterns",
      message = "every pattern must start with /dev/disk/by-id/")
  public record DiskPool(
      @JsonPropertyDescription(
              "Glob patterns (*, ?, [...]) on the disks' /dev/disk/by-id paths, such as"
                  + " /dev/disk/by-id/nvme-Samsung_SSD_980_* or /dev/disk/by-id/wwn-0x5000c5*;"
                  + " a disk belongs when one of its by-id paths matches one pattern. Absent:"
                  + " any disk.")
          @Size(max = 64)
          List<@Size(max = 4096) String> byIdPatterns,
      @JsonPropertyDescription(
              "Disks smaller than this (a quantity such as 100Gi) stay out of the pool.")
          Quantity minSize,
      @JsonPropertyDescription(
              "true: only spinning disks; false: only non-rotational ones (SSD, NVMe). Absent:"
                  + " both.")
          Boolean rotational) {}
}
