package dev.lunar.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.chart.Rendered.K8sObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CSI containers' liveness probes as the chart renders them: each probe's port is one its own
 * container declares and serves, the health address given to Lunar's processes is that port on the
 * pod's IP, and the sidecars probe their leader election only when there is one.
 */
class ChartCsiHealthTest {

  private static final String OPERATOR = "lunar-operator";
  private static final String AGENT = "lunar-agent";

  @Test
  void lunarsCsiProcessesServeHealthzOnThePodIpAndAreProbedThere() {
    Rendered rendered = LunarChart.renderedDefault();
    Map<String, Object> controller =
        rendered.get("Deployment", OPERATOR).container("csi-controller");
    Map<String, Object> node = rendered.get("DaemonSet", AGENT).container("csi-node");

    assertServesHealthzOn(controller, 9808, "1s");
    assertServesHealthzOn(node, 9508, "1s");
    assertThat(probe(node))
        .containsEntry("initialDelaySeconds", 10)
        .containsEntry("periodSeconds", 10)
        .containsEntry("timeoutSeconds", 3)
        .containsEntry("failureThreshold", 5);
  }

  @Test
  void theNodesHealthPortIsNotLivenessprobesOrAnotherPortOfTheHostNetworkPod() {
    K8sObject agent = LunarChart.renderedDefault().get("DaemonSet", AGENT);
    List<Object> hostPorts = new ArrayList<>();
    for (Map<String, Object> c : agent.list("spec.template.spec.containers")) {
      for (Map<String, Object> port : ports(c)) {
        hostPorts.add(port.get("containerPort"));
      }
    }

    assertThat(agent.at("spec.template.spec.hostNetwork")).isEqualTo(true);
    assertThat(hostPorts).doesNotHaveDuplicates().doesNotContain(9808).contains(9508);
  }

  @Test
  void sidecarsProbeTheirLeaderElectionOnTheirOwnHttpEndpoint() {
    K8sObject operator = LunarChart.renderedDefault().get("Deployment", OPERATOR);

    for (var sidecar : Map.of("csi-provisioner", 8082, "csi-attacher", 8083).entrySet()) {
      Map<String, Object> c = operator.container(sidecar.getKey());
      assertThat(args(c)).contains("--http-endpoint=:" + sidecar.getValue());
      assertThat(probe(c)).containsEntry("periodSeconds", 10);
      assertThat(httpGet(c)).containsEntry("path", "/healthz/leader-election");
      assertThat(declaredPort(c, (String) httpGet(c).get("port"))).isEqualTo(sidecar.getValue());
    }
  }

  @Test
  void everyProbeOfEveryPodNamesAPortItsContainerDeclares() {
    Rendered rendered = LunarChart.renderedDefault();
    List<String> probed = new ArrayList<>();
    for (K8sObject workload : rendered.objects()) {
      for (Map<String, Object> c : workload.list("spec.template.spec.containers")) {
        for (String kind : List.of("livenessProbe", "readinessProbe")) {
          if (c.get(kind) instanceof Map<?, ?> p && p.get("httpGet") instanceof Map<?, ?> get) {
            assertThat(declaredPort(c, (String) get.get("port")))
                .as("%s %s port %s", c.get("name"), kind, get.get("port"))
                .isNotNull();
            probed.add(c.get("name") + " " + kind);
          }
        }
      }
    }

    assertThat(probed)
        .contains(
            "csi-controller livenessProbe",
            "csi-provisioner livenessProbe",
            "csi-attacher livenessProbe",
            "csi-node livenessProbe");
  }

  @Test
  void portsTimingAndTimeoutComeFromValuesAndNoLeaderElectionMeansNoSidecarProbe() {
    Rendered rendered = LunarChart.rendered(LunarChart.testValues("values-csi-health.yaml"));
    K8sObject operator = rendered.get("Deployment", OPERATOR);
    Map<String, Object> controller = operator.container("csi-controller");
    Map<String, Object> node = rendered.get("DaemonSet", AGENT).container("csi-node");

    assertServesHealthzOn(controller, 9700, "2500ms");
    assertServesHealthzOn(node, 9600, "2500ms");
    assertThat(probe(node))
        .containsEntry("periodSeconds", 30)
        .containsEntry("failureThreshold", 3)
        .containsEntry("timeoutSeconds", 3);
    for (String sidecar : List.of("csi-provisioner", "csi-attacher")) {
      Map<String, Object> c = operator.container(sidecar);
      assertThat(c).doesNotContainKeys("livenessProbe", "ports");
      assertThat(args(c)).noneMatch(a -> a.startsWith("--http-endpoint"));
    }
  }

  private static void assertServesHealthzOn(Map<String, Object> c, int port, String timeout) {
    List<String> args = args(c);
    assertThat(args).containsSequence("--health-address", "$(POD_IP):" + port);
    assertThat(args).containsSequence("--probe-timeout", timeout);
    assertThat(podIpSource(c)).isEqualTo("status.podIP");
    assertThat(httpGet(c)).containsEntry("path", "/healthz").doesNotContainKey("host");
    assertThat(declaredPort(c, (String) httpGet(c).get("port"))).isEqualTo(port);
  }

  @SuppressWarnings("unchecked")
  private static List<String> args(Map<String, Object> c) {
    return (List<String>) c.getOrDefault("args", List.of());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> probe(Map<String, Object> c) {
    return (Map<String, Object>) c.get("livenessProbe");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> httpGet(Map<String, Object> c) {
    return (Map<String, Object>) probe(c).get("httpGet");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> ports(Map<String, Object> c) {
    return (List<Map<String, Object>>) c.getOrDefault("ports", List.of());
  }

  /** The containerPort named {@code name} in this container; null when it declares none. */
  private static Object declaredPort(Map<String, Object> c, String name) {
    return ports(c).stream()
        .filter(p -> name.equals(p.get("name")))
        .map(p -> p.get("containerPort"))
        .findFirst()
        .orElse(null);
  }

  @SuppressWarnings("unchecked")
  private static Object podIpSource(Map<String, Object> c) {
    for (Map<String, Object> env : (List<Map<String, Object>>) c.getOrDefault("env", List.of())) {
      if ("POD_IP".equals(env.get("name"))) {
        Map<String, Object> from = (Map<String, Object>) env.get("valueFrom");
        return ((Map<String, Object>) from.get("fieldRef")).get("fieldPath");
      }
    }
    return null;
  }
}
