package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Overrides of login negotiation keys (RFC 7143 section 13); an absent field keeps the target's
 * default. Ranges are the RFC's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.firstBurstLength) || !has(self.maxBurstLength)"
            + " || self.firstBurstLength <= self.maxBurstLength",
    message = "firstBurstLength must not exceed maxBurstLength")
public record Negotiation(
    @JsonPropertyDescription("MaxRecvDataSegmentLength the target declares, in bytes.")
        @Min(512)
        @Max(16777215)
        Integer maxRecvDataSegmentLength,
    @JsonPropertyDescription("MaxBurstLength: largest solicited data sequence, in bytes.")
        @Min(512)
        @Max(16777215)
        Integer maxBurstLength,
    @JsonPropertyDescription("FirstBurstLength: largest unsolicited data, in bytes.")
        @Min(512)
        @Max(16777215)
        Integer firstBurstLength,
    @JsonPropertyDescription("ImmediateData: whether data may ride on the command PDU.")
        Boolean immediateData,
    @JsonPropertyDescription("InitialR2T: whether the target must solicit all write data.")
        Boolean initialR2T,
    @JsonPropertyDescription("MaxOutstandingR2T: R2Ts in flight per task.") @Min(1) @Max(65535)
        Integer maxOutstandingR2T,
    @JsonPropertyDescription("MaxConnections: connections per session.") @Min(1) @Max(65535)
        Integer maxConnections,
    @JsonPropertyDescription("HeaderDigest: None or CRC32C.") DigestKind headerDigest,
    @JsonPropertyDescription("DataDigest: None or CRC32C.") DigestKind dataDigest) {

  /** The digest values RFC 7143 section 13.1 defines. */
  public enum DigestKind {
    None,
    CRC32C
  }
}
