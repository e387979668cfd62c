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
    @JsonPropertyDescription(REASON) String reason,
    @JsonPropertyDescription("Why it is not ready, when it is not.") String message,
    @JsonPropertyDescription("Its LUNs as served.") List<NodeLunStatus> luns,
    @JsonPropertyDescription("Its live sessions.") List<SessionStatus> sessions) {

  /**
   * The reason field's description. The operator copies the reason into the object's Ready
   * condition; agents before this field only began their message with it ("DeviceInUse: ...").
   */
  static final String REASON =
      "Why it is not ready as a condition reason (DeviceInUse, DeviceNotFound), when the agent"
          + " knows one.";

  /** One LUN as served. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NodeLunStatus(
      @JsonPropertyDescription("LUN number.") Integer lun,
      @JsonPropertyDescription("Whether it is served as the spec asks.") Boolean ready,
      @JsonPropertyDescription(REASON) String reason,
      @JsonPropertyDescription("Why it is not ready, when it is not.") String message,
      @JsonPropertyDescription("Size in bytes the initiators see.") Long sizeBytes,
      @JsonPropertyDescription("Logical block size in bytes.") Integer blockSize) {}
}
