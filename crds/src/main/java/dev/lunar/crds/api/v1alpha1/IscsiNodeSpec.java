package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * The complete desired target set of one node, written by the operator; the agent's counterpart is
 * its {@code TargetSetSpec}. Credentials are references into one per-node Secret in the agent's
 * namespace, never values.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IscsiNodeSpec(
    @JsonPropertyDescription(
            "The per-node Secret, in the agent's namespace, holding the CHAP credentials this"
                + " node's targets use.")
        SecretRef credentialsSecret,
    @JsonPropertyDescription("Every target the node must serve; targets not listed are removed.")
        List<NodeTarget> targets,
    @JsonPropertyDescription(
            "The pools on this node, for the agent to measure and to keep; a pool volume (a file"
                + " or logical volume the pool owns) that no LUN names is deleted.")
        List<NodePool> pools) {

  /**
   * One pool on the node, of one kind: a directory (path, and a cap on its space), an LVM volume
   * group (with a thin pool, optionally) or whole disks.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NodePool(
      @JsonPropertyDescription("Name of the IscsiPool.") @Required String name,
      @JsonPropertyDescription("Absolute path of the pool's directory, for a directory pool.")
          String path,
      @JsonPropertyDescription("At most this many bytes; absent: the filesystem's size.")
          Long capacityBytes,
      @JsonPropertyDescription("The LVM volume group, for a volume group pool.") String volumeGroup,
      @JsonPropertyDescription("The thin-pool logical volume of the volume group, if any.")
          String thinPool,
      @JsonPropertyDescription(
              "A pool of whole disks: its volumes are the LUNs that name it with a device. The"
                  + " operator measures it from the node's inventory.")
          Boolean disks) {

    /** A directory pool. */
    public static NodePool directory(String name, String path, Long capacityBytes) {
      return new NodePool(name, path, capacityBytes, null, null, null);
    }

    /** A volume group pool; {@code thinPool} may be null. */
    public static NodePool volumeGroup(String name, String volumeGroup, String thinPool) {
      return new NodePool(name, null, null, volumeGroup, thinPool, null);
    }

    /** A pool of whole disks. */
    public static NodePool disks(String name) {
      return new NodePool(name, null, null, null, null, true);
    }
  }

  /** A Secret by namespace and name. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SecretRef(
      @JsonPropertyDescription("Namespace of the Secret.") @Required @Size(min = 1, max = 63)
          String namespace,
      @JsonPropertyDescription("Name of the Secret.") @Required @Size(min = 1, max = 253)
          String name) {}

  /** One CHAP account as two keys of the per-node Secret. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CredentialKeys(
      @JsonPropertyDescription("Key of the Secret whose value is the CHAP user name.") @Required
          String usernameKey,
      @JsonPropertyDescription("Key of the Secret whose value is the CHAP secret.") @Required
          String passwordKey) {}
}
