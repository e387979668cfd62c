package dev.lunar.agent.control;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;

/**
 * A target's iSCSI parameters as {@code tgtadm --mode target --op show --tid N} lists them, with
 * tgtd 1.0.85's defaults in its order. {@code --op update --name K --value V} may set any of them;
 * the spec stores only the overrides.
 */
final class TargetParams {

  static final SequencedMap<String, String> DEFAULTS = defaults();

  private TargetParams() {}

  private static SequencedMap<String, String> defaults() {
    SequencedMap<String, String> params = new LinkedHashMap<>();
    params.put("nop_interval", "0");
    params.put("nop_count", "0");
    params.put("MaxRecvDataSegmentLength", "8192");
    params.put("HeaderDigest", "None");
    params.put("DataDigest", "None");
    params.put("InitialR2T", "Yes");
    params.put("MaxOutstandingR2T", "1");
    params.put("ImmediateData", "Yes");
    params.put("FirstBurstLength", "65536");
    params.put("MaxBurstLength", "262144");
    params.put("DataPDUInOrder", "Yes");
    params.put("DataSequenceInOrder", "Yes");
    params.put("ErrorRecoveryLevel", "0");
    params.put("IFMarker", "No");
    params.put("OFMarker", "No");
    params.put("DefaultTime2Wait", "2");
    params.put("DefaultTime2Retain", "20");
    params.put("OFMarkInt", "Reject");
    params.put("IFMarkInt", "Reject");
    params.put("MaxConnections", "1");
    params.put("RDMAExtensions", "Yes");
    params.put("TargetRecvDataSegmentLength", "262144");
    params.put("InitiatorRecvDataSegmentLength", "262144");
    params.put("MaxOutstandingUnexpectedPDUs", "0");
    params.put("MaxXmitDataSegmentLength", "8192");
    params.put("MaxQueueCmd", "128");
    return params;
  }

  /** Keys whose value is Yes or No (RFC 7143 section 6.2.1 boolean values). */
  private static final Set<String> BOOLEANS =
      Set.of(
          "InitialR2T",
          "ImmediateData",
          "DataPDUInOrder",
          "DataSequenceInOrder",
          "IFMarker",
          "OFMarker",
          "RDMAExtensions");

  /** Keys holding a data segment or burst length: 512 to 2^24 - 1 bytes (RFC 7143 13.12-13.14). */
  private static final Set<String> LENGTHS =
      Set.of(
          "MaxRecvDataSegmentLength",
          "MaxXmitDataSegmentLength",
          "FirstBurstLength",
          "MaxBurstLength",
          "TargetRecvDataSegmentLength",
          "InitiatorRecvDataSegmentLength");

  private static final Set<String> DIGESTS = Set.of("None", "CRC32C", "None,CRC32C", "CRC32C,None");

  /** Whether {@code value} is acceptable for {@code name}, as tgtd judges an update. */
  static boolean valid(String name, String value) {
    String def = DEFAULTS.get(name);
    if (def == null || value.isEmpty()) {
      return false;
    }
    if (BOOLEANS.contains(name)) {
      return value.equals("Yes") || value.equals("No");
    }
    if (name.endsWith("Digest")) {
      return DIGESTS.contains(value);
    }
    if (!def.chars().allMatch(Character::isDigit)) {
      return true;
    }
    if (!value.chars().allMatch(Character::isDigit) || value.length() > 10) {
      return false;
    }
    long number = Long.parseLong(value);
    if (LENGTHS.contains(name)) {
      return number >= 512 && number <= 0xff_ffff;
    }
    return switch (name) {
      case "MaxOutstandingR2T", "MaxConnections" -> number >= 1 && number <= 65535;
      case "ErrorRecoveryLevel" -> number <= 2;
      case "DefaultTime2Wait", "DefaultTime2Retain" -> number <= 3600;
      case "MaxQueueCmd" -> number >= 1 && number <= 512;
      default -> number <= Integer.MAX_VALUE;
    };
  }

  static Map<String, String> with(Map<String, String> params, String name, String value) {
    Map<String, String> next = new LinkedHashMap<>(params);
    next.put(name, value);
    return next;
  }
}
