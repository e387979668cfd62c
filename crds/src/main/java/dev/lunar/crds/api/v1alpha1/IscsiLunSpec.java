package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** What a user asks of a LUN. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.blockSize) || self.blockSize == 512 || self.blockSize == 4096",
    fieldPath = ".blockSize",
    message = "blockSize must be 512 or 4096")
public record IscsiLunSpec(
    @JsonPropertyDescription("Name of the IscsiTarget, in this namespace, that exports the LUN.")
        @Required
        @Size(min = 1, max = 253)
        String target,
    @JsonPropertyDescription("LUN number, 1..16383; LUN 0 is the target's controller.")
        @Required
        @Min(1)
        @Max(Syntax.LUN_MAX)
        Integer lun,
    @JsonPropertyDescription("What stores the data: a block device or a file, exactly one.")
        @Required
        LunBacking backing,
    @JsonPropertyDescription("Export read-only: writes fail with DATA PROTECT.") @Default("false")
        Boolean readOnly,
    @JsonPropertyDescription("Logical block size in bytes, 512 or 4096.") @Default("512")
        Integer blockSize,
    @JsonPropertyDescription(
            "Unit serial number (VPD page 0x80); derived from the object's UID when absent, so it"
                + " stays stable.")
        @Pattern(Syntax.SERIAL)
        String serial,
    @JsonPropertyDescription(
            "NAA world wide name (VPD page 0x83), 16 or 32 hex digits; derived from the object's"
                + " UID when absent.")
        @Pattern(Syntax.WWN)
        String wwn,
    @JsonPropertyDescription(
            "Export a device even though it is mounted, partitioned, carries a filesystem or RAID"
                + " signature or backs the node's root. Destroys data; off by default.")
        @Default("false")
        Boolean force,
    @JsonPropertyDescription(
            "Create a PersistentVolume for this LUN so pods anywhere in the cluster can use it.")
        PersistentVolumeRequest persistentVolume) {}
