package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** The storage behind a LUN: exactly one of a block device or a file. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = Syntax.EXACTLY_ONE_BACKING, message = Syntax.EXACTLY_ONE_BACKING_MESSAGE)
public record LunBacking(
    @JsonPropertyDescription(
            "Block device on the node, preferably a stable /dev/disk/by-id/... path.")
        @Pattern(Syntax.DEVICE_PATH)
        @Size(max = 4096)
        String device,
    @JsonPropertyDescription("File on the node, created with the given size when missing.")
        FileBacking file) {

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
}
