package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What the operator reports about a target, folded from its node's {@link IscsiNode} status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IscsiTargetStatus(
    @JsonPropertyDescription("Ready, plus specific conditions explaining why it is not.")
        List<Condition> conditions,
    @JsonPropertyDescription("The metadata.generation this status describes.")
        Long observedGeneration,
    @JsonPropertyDescription("Node that serves the target.") String node,
    @JsonPropertyDescription("Portals (address:port) initiators connect to.") List<String> portals,
    @JsonPropertyDescription("iSCSI name in use, the given one or the default.") String iqn,
    @JsonPropertyDescription("LUNs the target exports.") List<TargetLunStatus> luns,
    @JsonPropertyDescription("Number of LUNs exported.") Integer lunCount,
    @JsonPropertyDescription("Live sessions.") List<SessionStatus> sessions,
    @JsonPropertyDescription("Number of live sessions.") Integer sessionCount) {

  /** One LUN as the target exports it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TargetLunStatus(
      @JsonPropertyDescription("LUN number.") Integer lun,
      @JsonPropertyDescription("Name of the IscsiLun that defines it.") String name,
      @JsonPropertyDescription("Whether the agent serves it as asked.") Boolean ready) {}
}
