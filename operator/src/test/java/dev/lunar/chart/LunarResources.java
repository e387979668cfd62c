package dev.lunar.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;

/**
 * Lunar's custom resources as a cluster the chart runs on shows them, read without the operator's
 * model classes: the way a user's tooling sees them.
 */
final class LunarResources {

  static final ResourceDefinitionContext TARGETS = of("IscsiTarget", true);
  static final ResourceDefinitionContext LUNS = of("IscsiLun", true);
  static final ResourceDefinitionContext NODES = of("IscsiNode", false);
  static final ResourceDefinitionContext POOLS = of("IscsiPool", false);

  private LunarResources() {}

  /** Whether the resource exists and its Ready condition is True. */
  @SuppressWarnings("unchecked")
  static boolean ready(GenericKubernetesResource resource) {
    if (resource == null
        || !(resource.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
        || !(status.get("conditions") instanceof List<?> conditions)) {
      return false;
    }
    return conditions.stream()
        .map(c -> (Map<String, Object>) c)
        .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
  }

  private static ResourceDefinitionContext of(String kind, boolean namespaced) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("iscsi.lunar.dev")
        .withVersion("v1alpha1")
        .withKind(kind)
        .withPlural(kind.toLowerCase() + "s")
        .withNamespaced(namespaced)
        .build();
  }
}
