package dev.lunar.operator.plan;

import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import java.util.Map;

/**
 * Everything one node must serve: the IscsiNode spec and the data of its per-node credential Secret
 * (the only place CHAP secrets go; the spec only names keys in it).
 */
public record NodeDesired(IscsiNodeSpec spec, Map<String, String> credentials) {

  public NodeDesired {
    credentials = Map.copyOf(credentials);
  }

  @Override
  public String toString() {
    return "NodeDesired[spec=" + spec + ", credentialKeys=" + credentials.keySet() + "]";
  }
}
