package dev.lunar.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.operator.AgentProcess;
import dev.lunar.operator.LunarOperator;
import dev.lunar.operator.OperatorSettings;
import dev.lunar.operator.RealApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's RBAC on the real API server, with the operator and an agent process running as the
 * chart's ServiceAccounts (impersonated): each must be able to do all its work — the operator lists
 * and watches what it reads, writes IscsiNode specs, the per-node credential Secret (server-side
 * apply), statuses, finalizers and events and takes the leader Lease; the agent registers its
 * IscsiNode, renews its Lease, reads its credentials and writes its status. A missing verb shows as
 * a target that never becomes Ready.
 */
class ChartRbacIT {

  private static final Set<String> RBAC_KINDS =
      Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");

  @TempDir Path dir;

  @Test
  void operatorAndAgentDoTheirWholeJobWithTheChartsRbacAndNoMore() throws Exception {
    try (RealApiServer apiServer = RealApiServer.start()) {
      apiServer.applyCommittedCrds();
      KubernetesClient admin = apiServer.client();
      apiServer.kubectl("create", "namespace", LunarChart.NAMESPACE);
      apiServer.kubectl("create", "namespace", "apps");
      List<HasMetadata> rbac =
          rendered(admin).stream().filter(o -> RBAC_KINDS.contains(o.getKind())).toList();
      assertThat(rbac).extracting(HasMetadata::getKind).contains("ClusterRole", "Role");
      rbac.forEach(o -> admin.resource(o).inNamespace(namespaceOf(o)).create());
      assertDeniedByTheApiServer(admin);
      apply(
          admin,
          """
          apiVersion: v1
          kind: Secret
          metadata: {name: chap, namespace: apps}
          stringData: {username: alice, password: alice-secret-99}
          ---
          apiVersion: iscsi.lunar.dev/v1alpha1
          kind: IscsiTarget
          metadata: {name: db, namespace: apps}
          spec: {node: worker-1, chap: {secretName: chap}}
          ---
          apiVersion: iscsi.lunar.dev/v1alpha1
          kind: IscsiLun
          metadata: {name: data, namespace: apps}
          spec: {target: db, lun: 1, backing: {file: {path: %s, size: 64Mi, thin: true}}}
          """
              .formatted(dir.resolve("data.img")));

      Config config = Config.fromKubeconfig(apiServer.kubeConfigYaml());
      config.setImpersonateUsername(serviceAccount("operator"));
      config.setImpersonateGroups(
          "system:serviceaccounts", "system:serviceaccounts:" + LunarChart.NAMESPACE);
      try (KubernetesClient asOperator = new KubernetesClientBuilder().withConfig(config).build();
          AgentProcess agent =
              new AgentProcess(dir, "worker-1", LunarChart.NAMESPACE, apiServer.kubeConfigYaml())
                  // fabric8 in the agent reads these like its other KUBERNETES_* settings.
                  .withEnv("KUBERNETES_IMPERSONATE_USERNAME", serviceAccount("agent"))
                  .withEnv(
                      "KUBERNETES_IMPERSONATE_GROUP",
                      "system:serviceaccounts,system:serviceaccounts:" + LunarChart.NAMESPACE)
                  .start()) {
        // The API server enforces RBAC, so this test can fail.
        assertThatThrownBy(() -> asOperator.pods().inNamespace("kube-system").list())
            .isInstanceOf(KubernetesClientException.class)
            .hasMessageContaining("forbidden");
        var local = new InetSocketAddress("127.0.0.1", 0);
        try (LunarOperator operator =
            LunarOperator.start(
                asOperator,
                new OperatorSettings(
                    LunarChart.NAMESPACE, true, "lunar-operator", "rbac-it", local, local))) {
          // Ready needs every step: the agent registers its IscsiNode and Lease, the operator
          // writes
          // the spec and the credential Secret, the agent reads both and reports, the operator
          // folds.
          IscsiTarget db =
              await(
                  () -> admin.resources(IscsiTarget.class).inNamespace("apps").withName("db").get(),
                  t -> t.getStatus() != null && "Serving".equals(readyReason(t)));
          assertThat(db.getMetadata().getFinalizers()).containsExactly("iscsi.lunar.dev/withdraw");
          assertThat(agent.log()).doesNotContain("forbidden", "Forbidden");
          await(
              () -> admin.resources(IscsiNode.class).withName("worker-1").get(),
              n ->
                  n.getSpec() != null
                      && n.getSpec().targets() != null
                      && !n.getSpec().targets().isEmpty());
          await(
              () ->
                  admin
                      .secrets()
                      .inNamespace(LunarChart.NAMESPACE)
                      .withName("lunar-node-worker-1")
                      .get(),
              s -> s != null && s.getData().size() == 2);
          assertThat(
                  admin.leases().inNamespace(LunarChart.NAMESPACE).withName("lunar-operator").get())
              .isNotNull();
          // Deleting runs through the finalizer with the same rights.
          admin.resources(IscsiTarget.class).inNamespace("apps").withName("db").delete();
          await(
              () -> admin.resources(IscsiTarget.class).inNamespace("apps").withName("db").get(),
              t -> t == null);
        }
      }
      agentIsHeldToItsOwnNodeByTheAdmissionPolicy(apiServer, admin);
    }
  }

  /**
   * With the chart's ValidatingAdmissionPolicy installed, the agent's ServiceAccount (impersonated
   * with the node-name extra a bound pod token carries) creates and writes the status of its own
   * node's IscsiNode only; without the extra it writes none.
   */
  private static void agentIsHeldToItsOwnNodeByTheAdmissionPolicy(
      RealApiServer apiServer, KubernetesClient admin) throws Exception {
    List<HasMetadata> policy =
        rendered(admin).stream()
            .filter(o -> o.getKind().startsWith("ValidatingAdmissionPolicy"))
            .toList();
    assertThat(policy)
        .extracting(HasMetadata::getKind)
        .containsExactlyInAnyOrder("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
    policy.forEach(o -> admin.resource(o).create());
    try (KubernetesClient onWorker2 = agentOn(apiServer, "worker-2");
        KubernetesClient unbound = agentOn(apiServer, null)) {
      // The API server loads a new policy within a few seconds.
      String denial = await(() -> createDenial(onWorker2, "worker-9"), message -> message != null);
      assertThat(denial).contains("may only write the IscsiNode of its own node, not worker-9");
      assertThat(createDenial(onWorker2, "worker-2")).isNull();
      IscsiNode worker2 = new IscsiNode();
      worker2.setMetadata(new ObjectMetaBuilder().withName("worker-2").build());
      admin.resources(IscsiNode.class).resource(worker2).create();
      assertThat(statusDenial(onWorker2, "worker-2")).isNull();
      assertThat(statusDenial(onWorker2, "worker-1")).contains("not worker-1");
      assertThat(statusDenial(unbound, "worker-2")).contains("not worker-2");
      assertThat(createDenial(unbound, "worker-3")).contains("not worker-3");
    }
  }

  /** The agent's ServiceAccount as a pod on {@code node} would present it (null: no node). */
  private static KubernetesClient agentOn(RealApiServer apiServer, String node) {
    Config config = Config.fromKubeconfig(apiServer.kubeConfigYaml());
    config.setImpersonateUsername(serviceAccount("agent"));
    config.setImpersonateGroups(
        "system:serviceaccounts", "system:serviceaccounts:" + LunarChart.NAMESPACE);
    if (node != null) {
      // Sent as the header Impersonate-Extra-<key>: fabric8 does not escape the key's "/", which
      // is not allowed in a header name, and the API server unescapes %2F.
      config.setImpersonateExtras(
          Map.of("authentication.kubernetes.io%2Fnode-name", List.of(node)));
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Why creating IscsiNode {@code name} was refused, or null when it would have been created. */
  private static String createDenial(KubernetesClient client, String name) {
    IscsiNode node = new IscsiNode();
    node.setMetadata(new ObjectMetaBuilder().withName(name).build());
    // Dry-run: admission runs all the same, and a request let through before the policy is
    // loaded leaves nothing behind.
    return denial(() -> client.resources(IscsiNode.class).resource(node).dryRun().create());
  }

  /** Why writing IscsiNode {@code name}'s status was refused, or null when it was written. */
  private static String statusDenial(KubernetesClient client, String name) {
    return denial(
        () ->
            client
                .resources(IscsiNode.class)
                .withName(name)
                .subresource("status")
                .patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    "{\"status\":{\"agentVersion\":\"policy-it\"}}"));
  }

  private static String denial(Runnable request) {
    try {
      request.run();
      return null;
    } catch (KubernetesClientException e) {
      assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403);
      return e.getMessage();
    }
  }

  /**
   * The chart without the CSI driver: its controller side shares the operator's ServiceAccount and
   * adds what its sidecars need (nodes, PersistentVolumes), which ChartRbacTest pins and
   * ChartOnNodeIT runs under; here the operator's own job must work with the operator's own roles.
   */
  private static List<HasMetadata> rendered(KubernetesClient admin) {
    String chart = LunarChart.render(LunarChart.testValues("values-without-csi.yaml"));
    return admin.load(new ByteArrayInputStream(chart.getBytes(StandardCharsets.UTF_8))).items();
  }

  /**
   * What least privilege leaves out, asked of the API server's own authorizer (a
   * SubjectAccessReview per permission, like {@code kubectl auth can-i --as}): the agent cannot
   * rewrite any IscsiNode's spec, list Secrets or record events; the operator cannot read Nodes,
   * delete IscsiNodes or write another namespace's Secrets.
   */
  private static void assertDeniedByTheApiServer(KubernetesClient admin) {
    String ns = LunarChart.NAMESPACE;
    assertThat(allowed(admin, "agent", "get", "iscsi.lunar.dev", "iscsinodes", null)).isTrue();
    for (String verb : List.of("update", "patch", "delete")) {
      assertThat(allowed(admin, "agent", verb, "iscsi.lunar.dev", "iscsinodes", null))
          .as("agent %s iscsinodes", verb)
          .isFalse();
    }
    for (String verb : List.of("list", "watch")) {
      assertThat(allowed(admin, "agent", verb, "", "secrets", ns))
          .as("agent %s secrets", verb)
          .isFalse();
    }
    assertThat(allowed(admin, "agent", "get", "", "secrets", "apps")).isFalse();
    assertThat(allowed(admin, "agent", "create", "", "events", ns)).isFalse();
    assertThat(allowed(admin, "agent", "create", "events.k8s.io", "events", ns)).isFalse();
    for (String verb : List.of("get", "list", "watch")) {
      assertThat(allowed(admin, "operator", verb, "", "nodes", null))
          .as("operator %s nodes", verb)
          .isFalse();
    }
    assertThat(allowed(admin, "operator", "delete", "iscsi.lunar.dev", "iscsinodes", null))
        .isFalse();
    assertThat(allowed(admin, "operator", "patch", "events.k8s.io", "events", "apps")).isFalse();
    assertThat(allowed(admin, "operator", "create", "", "secrets", "apps")).isFalse();
    assertThat(allowed(admin, "operator", "list", "", "persistentvolumes", null)).isFalse();
  }

  private static boolean allowed(
      KubernetesClient admin,
      String component,
      String verb,
      String group,
      String resource,
      String namespace) {
    SubjectAccessReview review =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser(serviceAccount(component))
            .withGroups("system:serviceaccounts", "system:serviceaccounts:" + LunarChart.NAMESPACE)
            .withNewResourceAttributes()
            .withVerb(verb)
            .withGroup(group)
            .withResource(resource)
            .withNamespace(namespace)
            .endResourceAttributes()
            .endSpec()
            .build();
    return admin.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
  }

  private static String readyReason(IscsiTarget t) {
    return t.getStatus().conditions() == null
        ? null
        : t.getStatus().conditions().stream()
            .filter(c -> "Ready".equals(c.getType()))
            .map(c -> c.getReason())
            .findFirst()
            .orElse(null);
  }

  /** The chart's ServiceAccount of a component, as the API server names its user. */
  private static String serviceAccount(String component) {
    return "system:serviceaccount:"
        + LunarChart.NAMESPACE
        + ":"
        + LunarChart.RELEASE
        + "-"
        + component;
  }

  private static String namespaceOf(HasMetadata o) {
    return o.getMetadata().getNamespace() == null
        ? LunarChart.NAMESPACE
        : o.getMetadata().getNamespace();
  }

  private static void apply(KubernetesClient client, String yaml) {
    client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).serverSideApply();
  }

  private static <T> T await(
      java.util.function.Supplier<T> value, java.util.function.Predicate<T> ok)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    T last = null;
    while (Instant.now().isBefore(deadline)) {
      last = value.get();
      if (ok.test(last)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("timed out; last: " + last);
  }
}
