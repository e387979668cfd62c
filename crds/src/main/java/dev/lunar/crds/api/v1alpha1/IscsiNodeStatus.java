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
    @JsonPropertyDescription("Number of targets served.") Integer targetCount) {}
