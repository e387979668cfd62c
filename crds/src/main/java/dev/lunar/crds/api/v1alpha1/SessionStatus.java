package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One live iSCSI session, as the serving agent sees it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionStatus(
    @JsonPropertyDescription("iSCSI name of the initiator.") String initiator,
    @JsonPropertyDescription("Address and port the initiator connects from.") String address,
    @JsonPropertyDescription("Number of connections in the session.") Integer connections,
    @JsonPropertyDescription("When the session logged in (RFC 3339).") String since) {}
