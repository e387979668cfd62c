package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One target as a node's agent actually serves it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeTargetStatus(
    @JsonPropertyDescription("Target id.") Integer tid,
    @JsonPropertyDescription("iSCSI name.") String iqn,
    @JsonPropertyDescription("Whether it is served as the spec asks.") Boolean ready,
    @JsonPropertyDescription("Why it is not ready, when it is not.") String message,
    @JsonPropertyDescription("Its LUNs as served.") List<NodeLunStatus> luns,
    @JsonPropertyDescription("Its live sessions.") List<SessionStatus> sessions) {

  /** One LUN as served. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NodeLunStatus(
      @JsonPropertyDescription("LUN number.") Integer lun,
      @JsonPropertyDescription("Whether it is served as the spec asks.") Boolean ready,
      @JsonPropertyDescription("Why it is not ready, when it is not.") String message,
      @JsonPropertyDescription("Size in bytes the initiators see.") Long sizeBytes,
      @JsonPropertyDescription("Logical block size in bytes.") Integer blockSize) {}
}
