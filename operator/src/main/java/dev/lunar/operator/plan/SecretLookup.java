package dev.lunar.operator.plan;

import java.util.Map;

/** Reads a Secret's data, decoded; {@code null} when the Secret does not exist. */
@FunctionalInterface
public interface SecretLookup {
  Map<String, String> data(String namespace, String name);
}
