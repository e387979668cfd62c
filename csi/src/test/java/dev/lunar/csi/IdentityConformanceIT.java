package dev.lunar.csi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes CSI conformance suite, csi-sanity (built from its Go module by scripts/setup.sh
 * for {@code ./lunar test}), against the Identity service over its Unix socket. The Controller and
 * Node specs join once those services exist (docs/csi.md).
 */
class IdentityConformanceIT {

  private static final Pattern SUMMARY =
      Pattern.compile(
          "Ran (\\d+) of (\\d+) Specs.*?(\\d+) Passed \\| (\\d+) Failed", Pattern.DOTALL);

  @TempDir Path dir;

  @Test
  void csiSanityPassesEveryIdentitySpec() throws Exception {
    Path sanity = csiTools().resolve("csi-sanity");
    assertThat(sanity)
        .as("csi-sanity: `source scripts/setup.sh` with LUNAR_TEST_TOOLS=1 builds it")
        .isExecutable();
    Path socket = dir.resolve("csi.sock");
    Path log = dir.resolve("csi-sanity.log");
    IdentityService identity = new IdentityService("it", List.of(), () -> true);
    try (CsiEndpoint endpoint = CsiEndpoint.serve(socket, List.of(identity))) {
      Process sanityRun =
          new ProcessBuilder(
                  sanity.toString(),
                  "--csi.endpoint",
                  "unix://" + endpoint.socket(),
                  "--csi.mountdir",
                  dir.resolve("mount").toString(),
                  "--csi.stagingdir",
                  dir.resolve("staging").toString(),
                  "--ginkgo.focus",
                  "Identity Service",
                  "--ginkgo.no-color")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean ended = sanityRun.waitFor(5, TimeUnit.MINUTES);
      if (!ended) {
        sanityRun.destroyForcibly();
      }
      String output = Files.readString(log);
      assertThat(ended).as("csi-sanity ends within 5 minutes:%n%s", output).isTrue();
      Matcher summary = SUMMARY.matcher(output);
      assertThat(summary.find()).as("csi-sanity's summary in:%n%s", output).isTrue();
      System.out.printf(
          "csi-sanity, Identity Service: ran %s of %s specs, %s passed, %s failed%n",
          summary.group(1), summary.group(2), summary.group(3), summary.group(4));
      assertThat(sanityRun.exitValue()).as(output).isZero();
      assertThat(Integer.parseInt(summary.group(1))).isPositive();
      assertThat(summary.group(4)).isEqualTo("0");
    }
  }

  /** Where setup.sh puts the CSI test tools: beside the Kubernetes binaries. */
  private static Path csiTools() {
    String configured = System.getenv("KUBE_API_TEST_DIR");
    Path base =
        configured != null
            ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".kubeapitest");
    return base.resolve("csi-tools");
  }
}
