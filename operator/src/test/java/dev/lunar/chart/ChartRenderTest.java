package dev.lunar.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.lunar.chart.Rendered.K8sObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Lints the chart and checks what it renders, for the defaults and for a production values file.
 */
class ChartRenderTest {

  private static final String OPERATOR = "lunar-operator";
  private static final String AGENT = "lunar-agent";

  @Test
  void lintIsCleanEvenInStrictMode() {
    LintResult result = new Helm(LunarChart.chartDirectory()).lint().strict().call();

    assertThat(result.isFailed()).as("lint: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .as("strict lint messages")
        .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void agentDaemonSetServesOnTheHostNetworkWithHostDevicesAndProbes() {
    K8sObject agent = LunarChart.renderedDefault().get("DaemonSet", AGENT);

    assertThat(agent.at("spec.template.spec.hostNetwork")).isEqualTo(true);
    assertThat(agent.at("spec.template.spec.dnsPolicy")).isEqualTo("ClusterFirstWithHostNet");
    assertThat(agent.at("spec.template.spec.priorityClassName")).isEqualTo("system-node-critical");
    assertThat(agent.at("spec.template.spec.serviceAccountName")).isEqualTo(AGENT);
    assertThat(agent.at("spec.updateStrategy.type")).isEqualTo("RollingUpdate");
    assertThat(agent.map("spec.template.spec.nodeSelector"))
        .containsEntry("kubernetes.io/os", "linux");

    String container = "spec.template.spec.containers[0]";
    assertThat(agent.at(container + ".securityContext.privileged")).isEqualTo(true);
    assertThat(agent.at(container + ".args"))
        .isEqualTo(
            List.of(
                "node",
                "--state-dir",
                "/var/lib/lunar/state",
                "--metrics-address",
                "0.0.0.0:9500",
                "--iscsi",
                "portal=0.0.0.0:3260"));
    assertThat(agent.at(container + ".readinessProbe.httpGet.path")).isEqualTo("/readyz");
    assertThat(agent.at(container + ".livenessProbe.httpGet.path")).isEqualTo("/healthz");
    assertThat(ports(agent, container)).containsEntry("iscsi", 3260).containsEntry("metrics", 9500);
    assertThat(envNames(agent, container))
        .contains("NODE_NAME", "POD_NAMESPACE", "LUNAR_JAVA_OPTS");
    assertThat(agent.at(container + ".env[0].valueFrom.fieldRef.fieldPath"))
        .isEqualTo("spec.nodeName");

    Map<String, Object> mounts = mountsByPath(agent, container);
    assertThat(mounts).containsKeys("/dev", "/sys", "/run/udev", "/var/lib/lunar");
    // The root filesystem is read-only: the tgtadm control socket needs a writable /run/lunar.
    assertThat(agent.at(container + ".securityContext.readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(mounts).containsKeys("/run", "/tmp");
    assertThat(mounts.get("/run/udev")).isEqualTo(true);
    assertThat(hostPaths(agent))
        .containsEntry("dev", "/dev")
        .containsEntry("sys", "/sys")
        .containsEntry("udev", "/run/udev")
        .containsEntry("state", "/var/lib/lunar");
  }

  @Test
  void agentGetsTheNodeAddressTextLogsAndNoPerInitiatorLabelsByDefault() {
    K8sObject agent = LunarChart.renderedDefault().get("DaemonSet", AGENT);
    String container = "spec.template.spec.containers[0]";

    assertThat(fieldRefs(agent, container)).containsEntry("HOST_IP", "status.hostIP");
    assertThat(env(agent, container))
        .containsEntry("LUNAR_LOG_FORMAT", "text")
        .containsEntry("LUNAR_METRICS_PER_INITIATOR", "false");
    assertThat(agent.at(container + ".securityContext.readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(env(LunarChart.renderedDefault().get("Deployment", OPERATOR), container))
        .containsEntry("LUNAR_LOG_FORMAT", "text");
  }

  @Test
  void logFormatsAndPerInitiatorMetricsReachTheContainers() {
    Rendered rendered = LunarChart.rendered(LunarChart.testValues("values-production.yaml"));
    String container = "spec.template.spec.containers[0]";

    assertThat(env(rendered.get("DaemonSet", "lunar-prod-agent"), container))
        .containsEntry("LUNAR_LOG_FORMAT", "json")
        .containsEntry("LUNAR_METRICS_PER_INITIATOR", "true");
    assertThat(env(rendered.get("Deployment", "lunar-prod-operator"), container))
        .containsEntry("LUNAR_LOG_FORMAT", "json");
  }

  @Test
  void schemaRejectsALogFormatNeitherTextNorJson() {
    assertThatThrownBy(() -> LunarChart.render(LunarChart.testValues("values-log-format.yaml")))
        .hasMessageContaining("logFormat");
  }

  @Test
  void notesTellToAllowPrivilegedPodsInTheNamespaceLikeDeployDoes() throws Exception {
    String label = "pod-security.kubernetes.io/enforce";
    Path root = LunarChart.repositoryRoot();

    assertThat(Files.readString(root.resolve("deploy/namespace.yaml")))
        .contains(label + ": privileged");
    assertThat(Files.readString(LunarChart.chartDirectory().resolve("templates/NOTES.txt")))
        .contains(label + "=privileged");
    assertThat(Files.readString(root.resolve("README.md"))).contains(label + "=privileged");
  }

  @Test
  void operatorRunsReplicatedNonRootOnAReadOnlyRootFilesystem() {
    K8sObject operator = LunarChart.renderedDefault().get("Deployment", OPERATOR);

    assertThat(operator.at("spec.replicas")).isEqualTo(2);
    assertThat(operator.at("spec.template.spec.serviceAccountName")).isEqualTo(OPERATOR);
    assertThat(operator.at("spec.template.spec.hostNetwork")).isNull();
    assertThat(operator.at("spec.template.spec.securityContext.runAsNonRoot")).isEqualTo(true);
    String container = "spec.template.spec.containers[0]";
    assertThat(operator.at(container + ".securityContext.readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(operator.at(container + ".securityContext.allowPrivilegeEscalation"))
        .isEqualTo(false);
    assertThat(operator.at(container + ".securityContext.capabilities.drop"))
        .isEqualTo(List.of("ALL"));
    assertThat(ports(operator, container))
        .containsEntry("metrics", 8080)
        .containsEntry("health", 8081);
    assertThat(env(operator, container))
        .containsEntry("LUNAR_LEADER_ELECTION", "true")
        .containsEntry("LUNAR_LEASE_NAME", OPERATOR);
  }

  @Test
  void defaultsRenderNoMonitoringObjectsAndNoSecrets() {
    Rendered rendered = LunarChart.renderedDefault();

    assertThat(rendered.objects())
        .extracting(K8sObject::kind)
        .doesNotContain("ServiceMonitor", "PrometheusRule", "ConfigMap", "Secret");
    assertThat(rendered.ofKind("ServiceAccount"))
        .extracting(K8sObject::name)
        .containsExactlyInAnyOrder(OPERATOR, AGENT);
  }

  @Test
  void productionValuesReachEveryObject() {
    Rendered rendered = LunarChart.rendered(LunarChart.testValues("values-production.yaml"));

    K8sObject operator = rendered.get("Deployment", "lunar-prod-operator");
    assertThat(operator.at("spec.replicas")).isEqualTo(3);
    assertThat(operator.at("spec.template.spec.containers[0].image"))
        .isEqualTo("registry.example.com/storage/lunar/operator:0.1.0-rc1");
    assertThat(operator.at("spec.template.spec.imagePullSecrets"))
        .isEqualTo(List.of(Map.of("name", "registry-credentials")));
    assertThat(env(operator, "spec.template.spec.containers[0]"))
        .containsEntry("LUNAR_LEASE_NAME", "lunar-leader");
    assertThat(operator.map("metadata.labels")).containsEntry("team", "storage");

    K8sObject agent = rendered.get("DaemonSet", "lunar-prod-agent");
    String container = "spec.template.spec.containers[0]";
    assertThat(agent.at(container + ".image"))
        .isEqualTo("registry.example.com/storage/lunar/target-agent:0.1.0-rc1");
    assertThat(ports(agent, container)).containsEntry("iscsi", 3261).containsEntry("metrics", 9501);
    assertThat(agent.map("spec.template.spec.nodeSelector"))
        .containsEntry("lunar.dev/storage-node", "true");
    assertThat(agent.list("spec.template.spec.tolerations"))
        .extracting(t -> t.get("key"))
        .containsExactly("lunar.dev/storage");
    assertThat(agent.at("spec.template.spec.affinity.nodeAffinity")).isNotNull();
    assertThat(agent.at("spec.updateStrategy.type")).isEqualTo("OnDelete");
    assertThat(hostPaths(agent)).containsEntry("state", "/srv/lunar");

    assertThat(rendered.single("ServiceMonitor").map("metadata.labels"))
        .containsEntry("release", "kube-prometheus-stack");
    assertThat(rendered.single("PrometheusRule").at("spec.groups"))
        .asString()
        .contains("lunar_iscsi_sessions", "lunar_iscsi_logins_total", "for=10m");
  }

  @Test
  void dashboardsAreValidJsonOnTheLunarMetricsAndLabelledForGrafana() throws Exception {
    Rendered rendered = LunarChart.rendered(LunarChart.testValues("values-production.yaml"));
    K8sObject dashboard = rendered.get("ConfigMap", "lunar-prod-dashboard-lunar-overview");

    assertThat(dashboard.at("metadata.namespace")).isEqualTo("monitoring");
    assertThat(dashboard.map("metadata.labels")).containsEntry("grafana_dashboard", "1");
    String json = String.valueOf(dashboard.map("data").get("lunar-overview.json"));
    Map<?, ?> parsed = new ObjectMapper().readValue(json, Map.class);
    assertThat(parsed.get("uid")).isEqualTo("lunar-overview");
    assertThat(json)
        .contains(
            "lunar_scsi_read_operations_total",
            "lunar_scsi_write_bytes_total",
            "lunar_scsi_io_seconds_bucket",
            "lunar_iscsi_connections");
  }

  @Test
  void configMapsCarryNoSecretValues() {
    Rendered rendered = LunarChart.rendered(LunarChart.testValues("values-production.yaml"));

    assertThat(rendered.ofKind("Secret")).isEmpty();
    for (K8sObject configMap : rendered.ofKind("ConfigMap")) {
      for (Map.Entry<String, Object> entry : configMap.map("data").entrySet()) {
        assertThat(entry.getKey()).doesNotContainIgnoringCase("password").doesNotContain("secret");
        assertThat(String.valueOf(entry.getValue()))
            .as("ConfigMap %s key %s", configMap.name(), entry.getKey())
            .doesNotContainPattern("(?i)(password|secret|token|chap)\\s*[:=]");
      }
    }
  }

  @Test
  void schemaRejectsUnknownKeysAndARootOperator() {
    assertThatThrownBy(() -> LunarChart.render(LunarChart.testValues("values-typo.yaml")))
        .hasMessageContaining("hostNetwrk");
    assertThatThrownBy(() -> LunarChart.render(LunarChart.testValues("values-root-operator.yaml")))
        .hasMessageContaining("runAsNonRoot");
  }

  private static Map<String, Object> ports(K8sObject object, String container) {
    return object.list(container + ".ports").stream()
        .collect(Collectors.toMap(p -> (String) p.get("name"), p -> p.get("containerPort")));
  }

  private static List<String> envNames(K8sObject object, String container) {
    return object.list(container + ".env").stream().map(e -> (String) e.get("name")).toList();
  }

  private static Map<String, Object> env(K8sObject object, String container) {
    return object.list(container + ".env").stream()
        .filter(e -> e.containsKey("value"))
        .collect(Collectors.toMap(e -> (String) e.get("name"), e -> e.get("value")));
  }

  /** Variable name to the downward-API field it is taken from. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> fieldRefs(K8sObject object, String container) {
    return object.list(container + ".env").stream()
        .filter(e -> e.containsKey("valueFrom"))
        .filter(e -> ((Map<String, Object>) e.get("valueFrom")).containsKey("fieldRef"))
        .collect(
            Collectors.toMap(
                e -> (String) e.get("name"),
                e ->
                    ((Map<String, Object>)
                            ((Map<String, Object>) e.get("valueFrom")).get("fieldRef"))
                        .get("fieldPath")));
  }

  /** Mount path to its readOnly flag (false when absent). */
  private static Map<String, Object> mountsByPath(K8sObject object, String container) {
    return object.list(container + ".volumeMounts").stream()
        .collect(
            Collectors.toMap(
                m -> (String) m.get("mountPath"), m -> m.getOrDefault("readOnly", false)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> hostPaths(K8sObject workload) {
    return workload.list("spec.template.spec.volumes").stream()
        .filter(v -> v.containsKey("hostPath"))
        .collect(
            Collectors.toMap(
                v -> (String) v.get("name"),
                v -> ((Map<String, Object>) v.get("hostPath")).get("path")));
  }
}
