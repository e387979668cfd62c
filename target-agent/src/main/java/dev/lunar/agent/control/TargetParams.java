package dev.lunar.agent.control;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

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

  /** Whether {@code value} is acceptable for {@code name}: numeric where the default is. */
  static boolean valid(String name, String value) {
    String def = DEFAULTS.get(name);
    if (def == null || value.isEmpty()) {
      return false;
    }
    if (def.chars().allMatch(Character::isDigit)) {
      return value.chars().allMatch(Character::isDigit) && value.length() <= 10;
    }
    return true;
  }

  static Map<String, String> with(Map<String, String> params, String name, String value) {
    Map<String, String> next = new LinkedHashMap<>(params);
    next.put(name, value);
    return next;
  }
}
