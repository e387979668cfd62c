package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** One disk of a {@link NodeTarget}, resolved by the operator from an {@link IscsiLun}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = Syntax.EXACTLY_ONE_BACKING, message = Syntax.EXACTLY_ONE_BACKING_MESSAGE)
public record NodeLun(
    @JsonPropertyDescription("LUN number, 1..16383.") @Required @Min(1) @Max(Syntax.LUN_MAX)
        Integer lun,
    @JsonPropertyDescription("The IscsiLun this entry comes from, as namespace/name.")
        String source,
    @JsonPropertyDescription("Block device path on the node.") String device,
    @JsonPropertyDescription("File path on the node.") String file,
    @JsonPropertyDescription("Size in bytes for a file; 0 or absent takes the existing size.")
        @Min(0)
        Long sizeBytes,
    @JsonPropertyDescription("Thin provisioning for a file.") Boolean thin,
    @JsonPropertyDescription("Export read-only.") Boolean readOnly,
    @JsonPropertyDescription("Logical block size in bytes, 512 or 4096.") Integer blockSize,
    @JsonPropertyDescription("Unit serial number.") String serial,
    @JsonPropertyDescription("NAA world wide name.") String wwn,
    @JsonPropertyDescription("Export the device despite the host-disk safety checks.")
        Boolean force,
    @JsonPropertyDescription(
            "The pool that owns the file, logical volume or disk: the agent allocates a file or"
                + " logical volume as the pool's volume and deletes it once no LUN names it any"
                + " more; a disk it zeroes first.")
        String pool,
    @JsonPropertyDescription(
            "For a disk of a disk pool: the volume's identity (its IscsiLun's UID). The agent"
                + " zeroes the disk before it first serves a new identity, so no volume ever reads"
                + " an earlier one's data.")
        String volume) {}
