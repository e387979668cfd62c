package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One block device of a node, as the agent's inventory found it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DiskStatus(
    @JsonPropertyDescription("Kernel name, such as sdb or nvme0n1.") String name,
    @JsonPropertyDescription("Stable /dev/disk/by-id paths of the device.") List<String> byIdPaths,
    @JsonPropertyDescription("Size in bytes.") Long sizeBytes,
    @JsonPropertyDescription("Logical block size in bytes.") Integer logicalBlockSize,
    @JsonPropertyDescription("Physical block size in bytes.") Integer physicalBlockSize,
    @JsonPropertyDescription("Whether the device spins.") Boolean rotational,
    @JsonPropertyDescription("Model string.") String model,
    @JsonPropertyDescription("Serial number.") String serial,
    @JsonPropertyDescription("World wide name.") String wwn,
    @JsonPropertyDescription("Whether it or one of its partitions is mounted.") Boolean mounted,
    @JsonPropertyDescription("Whether it holds a partition table.") Boolean partitioned,
    @JsonPropertyDescription("Filesystem or other signature found on it, if any.")
        String fsSignature,
    @JsonPropertyDescription("Whether it is a member of a RAID or LVM set.") Boolean raidMember,
    @JsonPropertyDescription("Whether it backs the node's root filesystem.") Boolean root,
    @JsonPropertyDescription("Whether exporting it needs no force.") Boolean safe,
    @JsonPropertyDescription("Why it is not safe, when it is not.") String unsafeReason) {}
