package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** The storage behind a LUN: exactly one of a block device, a file or a volume in a pool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = Syntax.EXACTLY_ONE_LUN_BACKING,
    message = Syntax.EXACTLY_ONE_LUN_BACKING_MESSAGE)
public record LunBacking(
    @JsonPropertyDescription(
            "Block device on the node, preferably a stable /dev/disk/by-id/... path.")
        @Pattern(Syntax.DEVICE_PATH)
        @Size(max = 4096)
        String device,
    @JsonPropertyDescription("File on the node, created with the given size when missing.")
        FileBacking file,
    @JsonPropertyDescription(
            "A new volume carved from an IscsiPool on the target's node; deleting the IscsiLun"
                + " deletes the volume and its data.")
        PoolBacking pool) {

  /** A file on the node that holds the LUN's blocks. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FileBacking(
      @JsonPropertyDescription("Absolute path of the file on the node.")
          @Required
          @Pattern(Syntax.ABSOLUTE_PATH)
          @Size(max = 4096)
          String path,
      @JsonPropertyDescription(
              "Size of the LUN (a quantity such as 10Gi); required when the file does not exist.")
          Quantity size,
      @JsonPropertyDescription(
              "Thin provisioning: a sparse file whose blocks UNMAP returns to the filesystem.")
          Boolean thin) {}

  /**
   * A volume of its own in an {@link IscsiPool}: a file or logical volume the agent creates and
   * later deletes, or a whole disk the agent zeroes before and after the volume's life.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PoolBacking(
      @JsonPropertyDescription("Name of the IscsiPool; it must be on the target's node.")
          @Required
          @Size(min = 1, max = 253)
          @ValidationRule(value = "self == oldSelf", message = "pool is immutable")
          String name,
      @JsonPropertyDescription("Size of the volume (a quantity such as 10Gi).")
          @Required
          @ValidationRule(value = "self == oldSelf", message = "size is immutable")
          Quantity size,
      @JsonPropertyDescription(
              "Thin provisioning (the default): a sparse file, or a thin logical volume when the"
                  + " pool has a thin pool (a volume group without one makes every volume thick);"
                  + " false allocates every block when the volume is created.")
          Boolean thin) {}
}
