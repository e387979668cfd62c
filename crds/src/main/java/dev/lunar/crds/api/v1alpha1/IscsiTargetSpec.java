package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * What a user asks of a target. Field descriptions live in {@link JsonPropertyDescription}: the CRD
 * generator copies them into the schema, so they are the field documentation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.iqn) || self.iqn.matches('" + IscsiName.PATTERN + "')",
    fieldPath = ".iqn",
    message = "iqn " + IscsiName.MESSAGE)
public record IscsiTargetSpec(
    @JsonPropertyDescription("Name of the Kubernetes node whose agent serves this target.")
        @Required
        @Size(min = 1, max = 253)
        String node,
    @JsonPropertyDescription(
            "iSCSI name of the target, iqn.YYYY-MM.reversed.domain[:id], eui.<16 hex digits> or"
                + " naa.<16 or 32 hex digits>."
                + " Defaults to iqn.2025-01.dev.lunar:<namespace>.<name>; status.iqn shows the one"
                + " in use.")
        @Size(max = IscsiName.MAX_BYTES)
        String iqn,
    @JsonPropertyDescription("TCP port of the portal on the node.")
        @Default("3260")
        @Min(1)
        @Max(65535)
        Integer port,
    @JsonPropertyDescription(
            "Initiators allowed to log in, by iSCSI name and by address; when both lists are empty"
                + " nobody may log in.")
        InitiatorAcl initiators,
    @JsonPropertyDescription("CHAP authentication; absent means initiators log in without CHAP.")
        ChapAuth chap,
    @JsonPropertyDescription("Overrides of the target's login negotiation defaults (RFC 7143).")
        Negotiation negotiation) {}
