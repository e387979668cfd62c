package dev.lunar.operator.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Keys for objects in maps and in the {@code source} fields of an IscsiNode spec. */
public final class ObjectKeys {

  private ObjectKeys() {}

  /** {@code namespace/name}. */
  public static String of(HasMetadata object) {
    return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }

  /** {@code namespace/name} of a same-namespace reference. */
  public static String of(String namespace, String name) {
    return namespace + "/" + name;
  }
}
