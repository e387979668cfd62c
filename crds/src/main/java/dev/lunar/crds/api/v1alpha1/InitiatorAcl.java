package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * The initiators a target admits. An initiator gets in when its name is listed or its address falls
 * in a listed CIDR; with both lists empty nobody does.
 */
// Rules sit on the class: on a record component the generator would see them twice. The item
// lengths bound what the API server estimates a rule to cost; without them it refuses the CRD.
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.names) || self.names.all(n, n.matches('" + IscsiName.PATTERN + "'))",
    fieldPath = ".names",
    message = "every initiator name " + IscsiName.MESSAGE)
@ValidationRule(
    value = Syntax.ALL_CIDRS,
    fieldPath = ".addresses",
    message = "every address must be a CIDR such as 10.0.0.0/8 or fd00::/64")
public record InitiatorAcl(
    @JsonPropertyDescription("iSCSI names of initiators allowed to log in.")
        @Size(max = Syntax.ACL_MAX)
        List<@Size(max = IscsiName.MAX_BYTES) String> names,
    @JsonPropertyDescription(
            "Address ranges allowed to log in, as CIDRs (10.0.0.0/8, 192.0.2.7/32, fd00::/64);"
                + " IPv4-mapped IPv6 forms (::ffff:10.0.0.0/104) are refused: write them as IPv4.")
        @Size(max = Syntax.ACL_MAX)
        List<@Size(max = Syntax.CIDR_MAX) String> addresses) {}
