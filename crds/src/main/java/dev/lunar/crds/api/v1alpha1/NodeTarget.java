package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.CredentialKeys;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Map;

/** One target in a node's desired set, resolved by the operator from an {@link IscsiTarget}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeTarget(
    @JsonPropertyDescription("Target id on the node, 1 and up; stable while the target exists.")
        @Required
        @Min(1)
        Integer tid,
    @JsonPropertyDescription("iSCSI name of the target.") @Required @Pattern(IscsiName.PATTERN)
        String iqn,
    @JsonPropertyDescription("The IscsiTarget this entry comes from, as namespace/name.")
        String source,
    @JsonPropertyDescription("TCP port of the portal.") @Min(1) @Max(65535) Integer port,
    @JsonPropertyDescription("The target's disks.") List<NodeLun> luns,
    @JsonPropertyDescription("Initiator iSCSI names allowed to log in.")
        List<String> initiatorNames,
    @JsonPropertyDescription("Initiator address ranges (CIDRs) allowed to log in.")
        List<String> initiatorAddresses,
    @JsonPropertyDescription("CHAP account initiators authenticate as; absent means no CHAP.")
        CredentialKeys chap,
    @JsonPropertyDescription("CHAP account the target answers with, for mutual CHAP.")
        CredentialKeys mutualChap,
    @JsonPropertyDescription("Negotiation overrides by RFC 7143 key name.")
        Map<String, String> params) {}
