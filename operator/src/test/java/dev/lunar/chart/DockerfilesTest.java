package dev.lunar.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
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

  private static String read(String path) throws IOException {
    return Files.readString(LunarChart.repositoryRoot().resolve(path));
  }
}
