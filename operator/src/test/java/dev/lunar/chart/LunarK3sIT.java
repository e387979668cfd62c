package dev.lunar.chart;

import static dev.lunar.chart.LunarResources.LUNS;
import static dev.lunar.chart.LunarResources.NODES;
import static dev.lunar.chart.LunarResources.TARGETS;
import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * End to end on k3s (Testcontainers): builds both images with {@code scripts/images.sh} (the same
 * images the real node of {@link ChartOnNodeIT} runs) from the jars this build just packaged, loads
 * them into k3s, installs the chart, and drives the design's flow: an IscsiTarget with a file LUN
 * that also asks for a PersistentVolume becomes Ready, the node's IscsiNode carries it, the PV
 * appears, and deleting the resources withdraws everything.
 *
 * <p>Runs in the {@code k3s} Maven profile only, and only where a Docker engine answers and the k3s
 * image is present or can be pulled; elsewhere every test is skipped with the reason.
 */
@ExtendWith(LunarK3sIT.K3sRunnable.class)
class LunarK3sIT {

  private static final String K3S_IMAGE = "rancher/k3s:v1.35.4-k3s1";
  private static final String TAG = "k3s-it";
  private static final String DEMO = "lunar-demo";

  private static K3sContainer k3s;
  private static KubernetesClient client;

  @BeforeAll
  static void installLunarOnK3s(@TempDir Path work) throws Exception {
    buildImages();
    String agentImage = "lunar/target-agent:" + TAG;
    String operatorImage = "lunar/operator:" + TAG;

    k3s = new K3sContainer(DockerImageName.parse(K3S_IMAGE));
    k3s.start();
    loadIntoK3s(agentImage, work.resolve("agent.tar"));
    loadIntoK3s(operatorImage, work.resolve("operator.tar"));

    Path values = work.resolve("values-k3s.yaml");
    Files.writeString(
        values,
        """
        operator:
          replicas: 1
          image: {repository: lunar/operator, tag: %s, pullPolicy: Never}
        agent:
          image: {repository: lunar/target-agent, tag: %s, pullPolicy: Never}
          priorityClassName: ""
        """
            .formatted(TAG, TAG));
    new Helm(LunarChart.chartDirectory())
        .install()
        .withName(LunarChart.RELEASE)
        .withNamespace(LunarChart.NAMESPACE)
        .createNamespace()
        .withValuesFile(values)
        .withKubeConfigContents(k3s.getKubeConfigYaml())
        .waitReady()
        .withTimeout(300)
        .call();
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
            .build();
  }

  @AfterAll
  static void stopK3s() {
    if (client != null) {
      client.close();
    }
    if (k3s != null) {
      k3s.stop();
    }
  }

  @Test
  void everyNodeRegistersItsIscsiNode() {
    String node = onlyNodeName();
    await(() -> client.genericKubernetesResources(NODES).withName(node).get() != null);
  }

  @Test
  void targetWithAFileLunBecomesReadyAndProducesAPersistentVolume() throws IOException {
    String node = onlyNodeName();
    applyExamples(node);

    await(
        () ->
            LunarResources.ready(
                client
                    .genericKubernetesResources(TARGETS)
                    .inNamespace(DEMO)
                    .withName("demo")
                    .get()));
    await(
        () ->
            LunarResources.ready(
                client
                    .genericKubernetesResources(LUNS)
                    .inNamespace(DEMO)
                    .withName("demo-volume")
                    .get()));
    GenericKubernetesResource iscsiNode =
        client.genericKubernetesResources(NODES).withName(node).get();
    assertThat(String.valueOf(iscsiNode.getAdditionalProperties().get("spec")))
        .contains("iqn.2026-11.dev.lunar:demo");
    await(
        () ->
            client.persistentVolumes().list().getItems().stream()
                .anyMatch(pv -> pv.getSpec().getIscsi() != null));

    client.genericKubernetesResources(LUNS).inNamespace(DEMO).withName("demo-volume").delete();
    client.genericKubernetesResources(TARGETS).inNamespace(DEMO).withName("demo").delete();
    await(
        () ->
            client.genericKubernetesResources(TARGETS).inNamespace(DEMO).withName("demo").get()
                == null);
  }

  /**
   * The examples from deploy/examples, without the host disk LUN (k3s in Docker has none to spare).
   */
  private static void applyExamples(String node) throws IOException {
    Path examples = LunarChart.repositoryRoot().resolve("deploy/examples");
    for (String file :
        List.of("namespace.yaml", "chap-secret.yaml", "target.yaml", "pv-lun.yaml")) {
      String yaml =
          Files.readString(examples.resolve(file)).replace("node: worker-1", "node: " + node);
      for (HasMetadata object :
          client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
        client.resource(object).serverSideApply();
      }
    }
  }

  private static String onlyNodeName() {
    return client.nodes().list().getItems().getFirst().getMetadata().getName();
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 3 minutes").isLessThan(deadline);
      try {
        TimeUnit.SECONDS.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Runs the suite only where it can run, and otherwise skips every test saying which of the two is
   * missing: a Docker engine, or the k3s image (present, or pullable from a registry).
   */
  static final class K3sRunnable implements ExecutionCondition {

    private static ConditionEvaluationResult verdict;

    @Override
    public synchronized ConditionEvaluationResult evaluateExecutionCondition(
        ExtensionContext context) {
      if (verdict == null) {
        verdict = evaluate();
      }
      return verdict;
    }

    private static ConditionEvaluationResult evaluate() {
      if (!dockerAvailable()) {
        return ConditionEvaluationResult.disabled(
            "no Docker engine (DOCKER_HOST unset and no /var/run/docker.sock answering): the k3s"
                + " end-to-end suite is skipped; it runs wherever Docker and the k3s image exist");
      }
      if (!k3sImageAvailable()) {
        return ConditionEvaluationResult.disabled(
            "a Docker engine answers, but "
                + K3S_IMAGE
                + " is neither present nor pullable (no registry reachable): the k3s end-to-end"
                + " suite is skipped; ChartOnNodeIT runs the same images on a real node instead");
      }
      return ConditionEvaluationResult.enabled("Docker and " + K3S_IMAGE + " are here");
    }
  }

  /**
   * Looks for an engine before asking Testcontainers, whose probe logs an error for every strategy
   * it tries; a machine without Docker then skips quietly with the reason above.
   */
  static boolean dockerAvailable() {
    String dockerHost = System.getenv("DOCKER_HOST");
    boolean configured =
        (dockerHost != null && !dockerHost.isBlank())
            || Files.exists(Path.of("/var/run/docker.sock"))
            || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
    if (!configured) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Whether the k3s image is in the engine already, or a pull of it succeeds within a minute. */
  private static boolean k3sImageAvailable() {
    var docker = DockerClientFactory.instance().client();
    try {
      docker.inspectImageCmd(K3S_IMAGE).exec();
      return true;
    } catch (RuntimeException absent) {
      try {
        return docker.pullImageCmd(K3S_IMAGE).start().awaitCompletion(60, TimeUnit.SECONDS);
      } catch (RuntimeException unreachable) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /**
   * Both images, built by scripts/images.sh into the engine Testcontainers uses (DOCKER_HOST), from
   * the jars {@code ./mvnw -Pk3s -pl target-agent,operator -am verify} packaged before this runs.
   */
  private static void buildImages() throws IOException, InterruptedException {
    ProcessBuilder script =
        new ProcessBuilder(LunarChart.repositoryRoot().resolve("scripts/images.sh").toString())
            .inheritIO();
    script.environment().put("JAVA_HOME", System.getProperty("java.home"));
    script.environment().put("LUNAR_IMAGE_TAG", TAG);
    Process images = script.start();
    assertThat(images.waitFor(10, TimeUnit.MINUTES)).as("scripts/images.sh ends").isTrue();
    assertThat(images.exitValue()).as("scripts/images.sh exit code").isZero();
  }

  /**
   * docker save from the engine, then containerd import inside k3s (what `k3s ctr` does by hand).
   */
  private static void loadIntoK3s(String image, Path tar) throws Exception {
    try (InputStream saved = DockerClientFactory.instance().client().saveImageCmd(image).exec()) {
      Files.copy(saved, tar, StandardCopyOption.REPLACE_EXISTING);
    }
    String inContainer = "/tmp/" + tar.getFileName();
    k3s.copyFileToContainer(MountableFile.forHostPath(tar), inContainer);
    ExecResult result = k3s.execInContainer("ctr", "-n", "k8s.io", "images", "import", inContainer);
    assertThat(result.getExitCode()).as("ctr import: %s", result.getStderr()).isZero();
  }
}
