package dev.lunar.operator.plan;

import dev.lunar.crds.api.v1alpha1.Negotiation;
import java.util.Map;
import java.util.TreeMap;

/**
 * An IscsiTarget's negotiation overrides as RFC 7143 key names and values, as the agent takes them.
 */
final class Negotiations {

  private Negotiations() {}

  static Map<String, String> params(Negotiation n) {
    Map<String, String> params = new TreeMap<>();
    if (n == null) {
      return params;
    }
    put(params, "MaxRecvDataSegmentLength", n.maxRecvDataSegmentLength());
    put(params, "MaxBurstLength", n.maxBurstLength());
    put(params, "FirstBurstLength", n.firstBurstLength());
    put(params, "MaxOutstandingR2T", n.maxOutstandingR2T());
    put(params, "MaxConnections", n.maxConnections());
    if (n.immediateData() != null) {
      params.put("ImmediateData", n.immediateData() ? "Yes" : "No");
    }
    if (n.initialR2T() != null) {
      params.put("InitialR2T", n.initialR2T() ? "Yes" : "No");
    }
    if (n.headerDigest() != null) {
      params.put("HeaderDigest", n.headerDigest().name());
    }
    if (n.dataDigest() != null) {
      params.put("DataDigest", n.dataDigest().name());
    }
    return params;
  }

  private static void put(Map<String, String> params, String key, Integer value) {
    if (value != null) {
      params.put(key, value.toString());
    }
  }
}
