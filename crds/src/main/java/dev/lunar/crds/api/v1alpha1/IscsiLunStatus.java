package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;

/** What the operator reports about a LUN. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IscsiLunStatus(
    @JsonPropertyDescription("Ready, plus specific conditions explaining why it is not.")
        List<Condition> conditions,
    @JsonPropertyDescription("The metadata.generation this status describes.")
        Long observedGeneration,
    @JsonPropertyDescription("Node that serves the LUN.") String node,
    @JsonPropertyDescription("Size the initiators see.") Quantity size,
    @JsonPropertyDescription("Logical block size in bytes the initiators see.") Integer blockSize,
    @JsonPropertyDescription("Unit serial number in use.") String serial,
    @JsonPropertyDescription("World wide name in use.") String wwn,
    @JsonPropertyDescription("Name of the PersistentVolume created for the LUN.")
        String persistentVolumeName,
    @JsonPropertyDescription(
            "For a volume of a disk pool: the /dev/disk/by-id path of the disk the operator gave"
                + " it. Recorded before the agent sees the volume and kept for its whole life; it"
                + " is the only record of which disk holds the volume's data.")
        String disk) {}
