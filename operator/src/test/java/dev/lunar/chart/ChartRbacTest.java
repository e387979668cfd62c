package dev.lunar.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.chart.Rendered.K8sObject;
import java.util.ArrayList;
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
  private static final Rendered WITHOUT_CSI =
      LunarChart.rendered(LunarChart.testValues("values-without-csi.yaml"));

  @Test
  void operatorGetsExactlyWhatItNeeds() {
    Set<String> expected =
        expand(
            """
            cluster iscsi.lunar.dev/iscsitargets get list watch patch
            cluster iscsi.lunar.dev/iscsiluns get list watch patch
            cluster iscsi.lunar.dev/iscsitargets/status patch
            cluster iscsi.lunar.dev/iscsiluns/status patch update
            cluster iscsi.lunar.dev/iscsipools get list watch patch
            cluster iscsi.lunar.dev/iscsipools/status patch
            cluster iscsi.lunar.dev/iscsinodes get list watch patch
            cluster /secrets list watch
            cluster /persistentvolumes get create delete
            cluster /events create
            release /secrets create patch
            release coordination.k8s.io/leases get list watch create update patch
            """);

    assertThat(permissionsOf("lunar-operator", WITHOUT_CSI)).containsExactlyElementsOf(expected);
  }

  /**
   * The CSI driver's controller side shares the operator's pod, hence its ServiceAccount: the
   * controller, external-provisioner and external-attacher add these, no more.
   */
  @Test
  void csiControllerAddsExactlyWhatItAndItsSidecarsNeed() {
    Set<String> expected =
        expand(
            """
            cluster /events create list patch update watch
            cluster /nodes get list watch
            cluster /persistentvolumeclaims get list update watch
            cluster /persistentvolumes create delete get list patch watch
            cluster iscsi.lunar.dev/iscsipools list
            cluster storage.k8s.io/csinodes get list watch
            cluster storage.k8s.io/storageclasses get list watch
            cluster storage.k8s.io/volumeattachments get list patch watch
            cluster storage.k8s.io/volumeattachments/status patch
            release /secrets create get
            release coordination.k8s.io/leases create delete get list update watch
            release iscsi.lunar.dev/iscsiluns create delete get list patch
            release iscsi.lunar.dev/iscsitargets create delete get list patch
            """);
    Set<String> added =
        new TreeSet<>(permissionsOf("lunar-operator", LunarChart.renderedDefault()));
    added.removeAll(permissionsOf("lunar-operator", WITHOUT_CSI));
    Set<String> alreadyTheOperators = new TreeSet<>(expected);
    alreadyTheOperators.retainAll(permissionsOf("lunar-operator", WITHOUT_CSI));

    assertThat(added).containsExactlyElementsOf(minus(expected, alreadyTheOperators));
  }

  @Test
  void operatorCannotTouchNodesEventsApiOrIscsiNodeLifecycle() {
    Set<String> actual = permissionsOf("lunar-operator", WITHOUT_CSI);

    assertThat(actual)
        .noneMatch(p -> p.contains(" /nodes "))
        .noneMatch(p -> p.contains("events.k8s.io/"))
        .noneMatch(p -> p.contains("/events patch"))
        .noneMatch(p -> p.contains("/persistentvolumes list"))
        .noneMatch(p -> p.contains("/persistentvolumes watch"))
        .noneMatch(p -> p.contains("/secrets delete"))
        .noneMatch(p -> p.startsWith(CLUSTER + " /secrets") && !isRead(p))
        .noneMatch(p -> p.matches(".*iscsi.lunar.dev/iscsinodes (create|delete|update)"))
        .noneMatch(p -> p.contains("iscsinodes/status"))
        // The one replace: a disk pool's assignment, locked to the IscsiLun's resourceVersion.
        .noneMatch(
            p ->
                p.endsWith(" update")
                    && p.contains("iscsi.lunar.dev/")
                    && !p.endsWith("iscsi.lunar.dev/iscsiluns/status update"));
  }

  @Test
  void agentGetsExactlyWhatItNeedsAndNoClusterWideSecrets() {
    Set<String> expected =
        expand(
            """
            cluster iscsi.lunar.dev/iscsinodes get list watch create
            cluster iscsi.lunar.dev/iscsinodes/status patch
            release /secrets get
            release coordination.k8s.io/leases create patch
            """);

    Set<String> actual = permissionsOf("lunar-agent");
    assertThat(actual).containsExactlyElementsOf(expected);
    assertThat(actual).noneMatch(p -> p.startsWith(CLUSTER + " /secrets"));
  }

  @Test
  void agentCannotRewriteSpecsListSecretsOrRecordEvents() {
    Set<String> actual = permissionsOf("lunar-agent");

    assertThat(actual)
        .noneMatch(p -> p.matches(".*iscsi.lunar.dev/iscsinodes (update|patch|delete)"))
        .noneMatch(p -> p.matches(".*/secrets (list|watch|create|update|patch|delete)"))
        .noneMatch(p -> p.contains("/events "))
        .noneMatch(p -> p.contains("iscsitargets") || p.contains("iscsiluns"));
  }

  @Test
  void rulesAreSortedByGroupThenResourceAndVerbsAlphabetically() {
    for (K8sObject role : roles(LunarChart.renderedDefault())) {
      List<String> keys = new ArrayList<>();
      for (Map<String, Object> rule : role.list("rules")) {
        List<String> verbs = strings(rule.get("verbs"));
        assertThat(verbs).as("verbs of %s %s", role.kind(), role.name()).isSorted();
        assertThat(strings(rule.get("resources")))
            .as("resources of %s %s", role.kind(), role.name())
            .isSorted();
        keys.add(
            strings(rule.get("apiGroups")).getFirst()
                + " "
                + String.join(",", strings(rule.get("resources"))));
      }
      assertThat(keys).as("rules of %s %s", role.kind(), role.name()).isSorted();
    }
  }

  @Test
  void admissionPolicyHoldsTheAgentServiceAccountToItsOwnNodesIscsiNode() {
    Rendered rendered = LunarChart.renderedDefault();
    K8sObject policy = rendered.single("ValidatingAdmissionPolicy");
    K8sObject binding = rendered.single("ValidatingAdmissionPolicyBinding");

    assertThat(binding.at("spec.policyName")).isEqualTo(policy.name());
    assertThat(binding.at("spec.validationActions")).isEqualTo(List.of("Deny"));
    assertThat(policy.at("spec.failurePolicy")).isEqualTo("Fail");
    assertThat(policy.at("spec.matchConstraints.resourceRules[0].resources"))
        .isEqualTo(List.of("iscsinodes", "iscsinodes/status"));
    assertThat(policy.at("spec.matchConstraints.resourceRules[0].operations"))
        .isEqualTo(List.of("CREATE", "UPDATE"));
    assertThat(policy.at("spec.matchConditions[0].expression"))
        .isEqualTo(
            "request.userInfo.username == 'system:serviceaccount:"
                + LunarChart.NAMESPACE
                + ":lunar-agent'");
    assertThat(policy.at("spec.validations[0].expression").toString())
        .contains("request.userInfo.extra['authentication.kubernetes.io/node-name']")
        .contains("object.metadata.name in");
  }

  private static boolean isRead(String permission) {
    return permission.endsWith(" get")
        || permission.endsWith(" list")
        || permission.endsWith(" watch");
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

  private static Set<String> minus(Set<String> all, Set<String> some) {
    Set<String> rest = new TreeSet<>(all);
    rest.removeAll(some);
    return rest;
  }

  private static Set<String> permissionsOf(String serviceAccount) {
    return permissionsOf(serviceAccount, LunarChart.renderedDefault());
  }

  /** Everything bound to the ServiceAccount {@code name} in the release namespace. */
  private static Set<String> permissionsOf(String serviceAccount, Rendered rendered) {
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
