package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Where a pool's space is. A volume's file lives in the pool's directory for the volume's whole
 * life, so neither the node nor the directory may change once set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IscsiPoolSpec(
    @JsonPropertyDescription("Name of the Kubernetes node whose agent holds the pool.")
        @Required
        @Size(min = 1, max = 253)
        @ValidationRule(value = "self == oldSelf", message = "node is immutable")
        String node,
    @JsonPropertyDescription(
            "A directory of files, one per volume: sparse for thin volumes, allocated up front for"
                + " thick ones.")
        @Required
        DirectoryPool directory) {

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
}
