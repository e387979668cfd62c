package dev.lunar.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The images cannot be built here (no Docker engine), so this checks the Dockerfiles agree with the
 * build and the chart: Java 25 runtime, the jars the modules produce, the operator's non-root user
 * that the chart's runAsNonRoot needs, and the agent's default command.
 */
class DockerfilesTest {

  @Test
  void agentImageRunsTheNodeSubcommandOnAJava25Runtime() throws IOException {
    String dockerfile = read("target-agent/Dockerfile");

    assertThat(dockerfile)
        .containsPattern("(?m)^ARG BASE_IMAGE=eclipse-temurin:25-jre$")
        .containsPattern("(?m)^FROM \\$\\{BASE_IMAGE}$")
        .contains("COPY target/target-agent.jar /opt/lunar/target-agent.jar")
        .contains("-jar /opt/lunar/target-agent.jar")
        .contains(
            "CMD [\"node\", \"--state-dir\", \"/var/lib/lunar/state\", \"--metrics-address\","
                + " \"0.0.0.0:9500\"]")
        .contains("EXPOSE 3260 9500");
  }

  @Test
  void operatorImageRunsAsTheNonRootUserTheChartExpects() throws IOException {
    String dockerfile = read("operator/Dockerfile");
    Object chartUser =
        LunarChart.renderedDefault()
            .get("Deployment", "lunar-operator")
            .at("spec.template.spec.securityContext.runAsUser");

    assertThat(dockerfile)
        .containsPattern("(?m)^ARG BASE_IMAGE=eclipse-temurin:25-jre$")
        .containsPattern("(?m)^FROM \\$\\{BASE_IMAGE}$")
        .contains("COPY target/operator.jar /opt/lunar/operator.jar")
        .contains("USER " + chartUser + ":" + chartUser)
        .contains("EXPOSE 8080 8081");
  }

  /**
   * The agent's JVM options are the measured ones (docs/benchmarks.md) wherever it starts: the
   * launcher the bench and the ITs use, the image's default and the chart's value, which replaces
   * it per install; and the image's glibc malloc settings are the launcher's.
   */
  @Test
  void agentJvmAndMallocSettingsAreTheLaunchersEverywhere() throws IOException {
    String launcher = read("scripts/lunar-java.sh");
    String dockerfile = read("target-agent/Dockerfile");
    String launcherOptions = group(launcher, "(?m)^defaults=\"([^\"]+)\"$");
    Object chartOptions =
        LunarChart.renderedDefault()
            .get("DaemonSet", "lunar-agent")
            .list("spec.template.spec.containers[0].env")
            .stream()
            .filter(e -> "LUNAR_JAVA_OPTS".equals(e.get("name")))
            .map(e -> e.get("value"))
            .findFirst()
            .orElseThrow();

    // The image adds its AOT cache, trained at build time under the same options, without the
    // cache.
    String imageOptions = launcherOptions + " -XX:AOTCache=" + AGENT_AOT_CACHE;
    assertThat(group(dockerfile, "(?m)^ENV LUNAR_JAVA_OPTS=\"([^\"]+)\"$")).isEqualTo(imageOptions);
    assertThat(chartOptions).isEqualTo(imageOptions);
    assertThat(dockerfile)
        .containsPattern(
            "(?m)^RUN java \\$\\{LUNAR_JAVA_OPTS%% -XX:AOTCache=\\*} -XX:AOTCacheOutput="
                + Pattern.quote(AGENT_AOT_CACHE)
                + " \\\\\n\\s+-jar /opt/lunar/target-agent.jar train$");
    assertThat(dockerfile.indexOf("AOTCacheOutput"))
        .as("the cache is trained on the jar the image runs")
        .isGreaterThan(dockerfile.indexOf("COPY target/target-agent.jar"));
    Matcher malloc =
        Pattern.compile("(?m)^export (MALLOC_[A-Z_]+)=\\$\\{\\1:-([0-9]+)}$").matcher(launcher);
    int settings = 0;
    while (malloc.find()) {
      assertThat(dockerfile)
          .containsPattern("(?m) " + malloc.group(1) + "=" + malloc.group(2) + "( |$)");
      settings++;
    }
    assertThat(settings).as("malloc settings in the launcher").isEqualTo(3);
  }

  private static final String AGENT_AOT_CACHE = "/opt/lunar/target-agent.aot";

  private static String group(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    assertThat(matcher.find()).as("%s found", regex).isTrue();
    return matcher.group(1);
  }

  private static String read(String path) throws IOException {
    return Files.readString(LunarChart.repositoryRoot().resolve(path));
  }
}
