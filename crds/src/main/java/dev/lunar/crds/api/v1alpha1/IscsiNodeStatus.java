package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What a node's agent reports: itself, its disks, and what it actually serves. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IscsiNodeStatus(
    @JsonPropertyDescription("Ready when the agent applied the spec it last observed.")
        List<Condition> conditions,
    @JsonPropertyDescription("The metadata.generation of the spec the agent last applied.")
        Long observedGeneration,
    @JsonPropertyDescription("Version of the agent.") String agentVersion,
    @JsonPropertyDescription("Portals (address:port) the agent listens on.") List<String> portals,
    @JsonPropertyDescription("Block devices of the node and whether each is safe to export.")
        List<DiskStatus> disks,
    @JsonPropertyDescription("Targets as actually served.") List<NodeTargetStatus> targets,
    @JsonPropertyDescription("Number of targets served.") Integer targetCount,
    @JsonPropertyDescription("The pools of the spec as measured.") List<NodePoolStatus> pools) {

  /** One pool's space as the agent measured it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NodePoolStatus(
      @JsonPropertyDescription("Name of the IscsiPool.") String name,
      @JsonPropertyDescription("Whether the directory is there and measured.") Boolean ready,
      @JsonPropertyDescription("Why it is not ready as a condition reason, when it is not.")
          String reason,
      @JsonPropertyDescription("Why it is not ready, when it is not.") String message,
      @JsonPropertyDescription("Space for volumes in bytes.") Long capacityBytes,
      @JsonPropertyDescription("Bytes promised to the pool's volumes.") Long allocatedBytes,
      @JsonPropertyDescription("Bytes a new volume may still take.") Long freeBytes,
      @JsonPropertyDescription("Number of volumes the spec puts in the pool.")
          Integer volumeCount) {}
}
