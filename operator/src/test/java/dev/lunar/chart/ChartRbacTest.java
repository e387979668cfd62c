package dev.lunar.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.chart.Rendered.K8sObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, checked exactly: every permission each ServiceAccount receives, flattened to
 * {@code scope group/resource verb}, must equal the list the design needs, no more.
 */
class ChartRbacTest {

  private static final String CLUSTER = "cluster";
  private static final String RELEASE_NAMESPACE = "ns:" + LunarChart.NAMESPACE;

  @Test
  void operatorGetsExactlyWhatItNeeds() {
    Set<String> expected =
        expand(
            """
            cluster iscsi.lunar.dev/iscsitargets get list watch update patch
            cluster iscsi.lunar.dev/iscsiluns get list watch update patch
            cluster iscsi.lunar.dev/iscsitargets/status get update patch
            cluster iscsi.lunar.dev/iscsiluns/status get update patch
            cluster iscsi.lunar.dev/iscsitargets/finalizers update
            cluster iscsi.lunar.dev/iscsiluns/finalizers update
            cluster iscsi.lunar.dev/iscsinodes get list watch create update patch delete
            cluster iscsi.lunar.dev/iscsinodes/status get
            cluster /secrets get list watch
            cluster /persistentvolumes get list watch create delete
            cluster /nodes get list watch
            cluster /events create patch
            cluster events.k8s.io/events create patch
            release /secrets create update patch delete
            release coordination.k8s.io/leases get list watch create update patch
            """);

    assertThat(permissionsOf("lunar-operator")).containsExactlyElementsOf(expected);
  }

  @Test
  void agentGetsExactlyWhatItNeedsAndNoClusterWideSecrets() {
    Set<String> expected =
        expand(
            """
            cluster iscsi.lunar.dev/iscsinodes get list watch create update patch
            cluster iscsi.lunar.dev/iscsinodes/status update patch
            cluster /events create patch
            cluster events.k8s.io/events create patch
            release /secrets get list watch
            release coordination.k8s.io/leases get create update patch
            """);

    Set<String> actual = permissionsOf("lunar-agent");
    assertThat(actual).containsExactlyElementsOf(expected);
    assertThat(actual).noneMatch(p -> p.startsWith(CLUSTER + " /secrets"));
  }

  /**
   * One permission per verb from lines of {@code scope group/resource verb...}; scope "release"
   * means the release namespace.
   */
  private static Set<String> expand(String table) {
    Set<String> permissions = new TreeSet<>();
    for (String line : table.strip().split("\n")) {
      String[] words = line.strip().split(" ", 3);
      String scope = words[0].equals("release") ? RELEASE_NAMESPACE : words[0];
      int slash = words[1].indexOf('/');
      grant(
          permissions,
          scope,
          words[1].substring(0, slash),
          words[1].substring(slash + 1),
          words[2]);
    }
    return permissions;
  }

  @Test
  void noRuleUsesWildcardsOrResourceNamesOrNonResourceUrls() {
    Rendered rendered = LunarChart.rendered(LunarChart.testValues("values-production.yaml"));
    for (K8sObject role : roles(rendered)) {
      for (Map<String, Object> rule : role.list("rules")) {
        assertThat(rule).doesNotContainKeys("nonResourceURLs", "resourceNames");
        for (String field : List.of("apiGroups", "resources", "verbs")) {
          assertThat(strings(rule.get(field)))
              .as("%s %s %s", role.kind(), role.name(), field)
              .isNotEmpty()
              .noneMatch(value -> value.contains("*"));
        }
        assertThat(strings(rule.get("verbs"))).doesNotContain("escalate", "bind", "impersonate");
      }
    }
  }

  /** Everything bound to the ServiceAccount {@code name} in the release namespace. */
  private static Set<String> permissionsOf(String serviceAccount) {
    Rendered rendered = LunarChart.renderedDefault();
    Set<String> permissions = new TreeSet<>();
    for (String bindingKind : List.of("ClusterRoleBinding", "RoleBinding")) {
      for (K8sObject binding : rendered.ofKind(bindingKind)) {
        if (!boundTo(binding, serviceAccount)) {
          continue;
        }
        String roleKind = String.valueOf(binding.at("roleRef.kind"));
        K8sObject role = rendered.get(roleKind, String.valueOf(binding.at("roleRef.name")));
        String scope =
            roleKind.equals("ClusterRole") && bindingKind.equals("ClusterRoleBinding")
                ? CLUSTER
                : "ns:" + binding.at("metadata.namespace");
        for (Map<String, Object> rule : role.list("rules")) {
          for (String group : strings(rule.get("apiGroups"))) {
            for (String resource : strings(rule.get("resources"))) {
              grant(
                  permissions,
                  scope,
                  group,
                  resource,
                  String.join(" ", strings(rule.get("verbs"))));
            }
          }
        }
      }
    }
    return permissions;
  }

  private static boolean boundTo(K8sObject binding, String serviceAccount) {
    return binding.list("subjects").stream()
        .anyMatch(
            s ->
                "ServiceAccount".equals(s.get("kind"))
                    && serviceAccount.equals(s.get("name"))
                    && LunarChart.NAMESPACE.equals(s.get("namespace")));
  }

  private static List<K8sObject> roles(Rendered rendered) {
    return rendered.objects().stream()
        .filter(o -> o.kind().equals("ClusterRole") || o.kind().equals("Role"))
        .toList();
  }

  private static void grant(
      Set<String> permissions, String scope, String group, String resource, String verbs) {
    for (String verb : verbs.split(" ")) {
      permissions.add(scope + " " + group + "/" + resource + " " + verb);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object value) {
    return value == null ? List.of() : (List<String>) value;
  }
}
