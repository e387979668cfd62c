package dev.lunar.csi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes CSI conformance suite, csi-sanity, as the conformance tests run it: built from its
 * Go module by scripts/setup.sh (with LUNAR_TEST_TOOLS=1) beside the Kubernetes binaries.
 */
public final class CsiSanity {

  private static final Pattern SUMMARY =
      Pattern.compile(
          "Ran (\\d+) of (\\d+) Specs.*?(\\d+) Passed \\| (\\d+) Failed", Pattern.DOTALL);

  private CsiSanity() {}

  /**
   * One run's outcome.
   *
   * @param ended whether csi-sanity ended within its bound
   * @param exitCode its exit code, -1 when it did not end
   * @param ran specs run, -1 when no summary was found
   * @param total specs known
   * @param passed specs passed
   * @param failed specs failed
   * @param output everything it printed
   */
  public record Run(
      boolean ended, int exitCode, int ran, int total, int passed, int failed, String output) {

    public boolean summarized() {
      return ran >= 0;
    }

    /**
     * Prints the summary and fails unless csi-sanity ran at least {@code minimum} specs, all
     * passing.
     */
    public void assertAllPassed(String what, int minimum) {
      assertThat(ended).as("csi-sanity ends within 5 minutes:%n%s", output).isTrue();
      assertThat(summarized()).as("csi-sanity's summary in:%n%s", output).isTrue();
      System.out.printf(
          "csi-sanity, %s: ran %d of %d specs, %d passed, %d failed%n",
          what, ran, total, passed, failed);
      assertThat(exitCode).as(output).isZero();
      assertThat(ran).isGreaterThanOrEqualTo(minimum);
      assertThat(failed).isZero();
    }
  }

  /** The csi-sanity binary; it may not exist. */
  public static Path binary() {
    String configured = System.getenv("KUBE_API_TEST_DIR");
    Path base =
        configured != null
            ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".kubeapitest");
    return base.resolve("csi-tools").resolve("csi-sanity");
  }

  /**
   * Runs the specs matching {@code focus} against the driver on {@code socket}, with mount and
   * staging directories under {@code dir}; fails the test when csi-sanity is not built.
   */
  public static Run run(Path socket, String focus, Path dir, String... extra)
      throws IOException, InterruptedException {
    assertThat(binary())
        .as("csi-sanity: `source scripts/setup.sh` with LUNAR_TEST_TOOLS=1 builds it")
        .isExecutable();
    Path log = dir.resolve("csi-sanity.log");
    List<String> command =
        new ArrayList<>(
            List.of(
                binary().toString(),
                "--csi.endpoint",
                "unix://" + socket,
                "--csi.mountdir",
                dir.resolve("mount").toString(),
                "--csi.stagingdir",
                dir.resolve("staging").toString(),
                "--ginkgo.focus",
                focus,
                "--ginkgo.no-color"));
    command.addAll(List.of(extra));
    Process sanity =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = sanity.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      sanity.destroyForcibly();
    }
    String output = Files.readString(log);
    Matcher summary = SUMMARY.matcher(output);
    if (!summary.find()) {
      return new Run(ended, ended ? sanity.exitValue() : -1, -1, -1, -1, -1, output);
    }
    return new Run(
        ended,
        ended ? sanity.exitValue() : -1,
        Integer.parseInt(summary.group(1)),
        Integer.parseInt(summary.group(2)),
        Integer.parseInt(summary.group(3)),
        Integer.parseInt(summary.group(4)),
        output);
  }
}
