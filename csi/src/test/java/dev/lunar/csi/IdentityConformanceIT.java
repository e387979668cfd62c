package dev.lunar.csi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes CSI conformance suite, csi-sanity (built from its Go module by scripts/setup.sh
 * for {@code ./lunar test}), against the Identity service over its Unix socket. The Node specs run
 * in node.NodeConformanceIT where a kernel initiator exists; the Controller specs join once that
 * service exists (docs/csi.md).
 */
class IdentityConformanceIT {

  @TempDir Path dir;

  @Test
  void csiSanityPassesEveryIdentitySpec() throws Exception {
    assertThat(CsiSanity.binary())
        .as("csi-sanity: `source scripts/setup.sh` with LUNAR_TEST_TOOLS=1 builds it")
        .isExecutable();
    IdentityService identity = new IdentityService("it", List.of(), () -> true);
    try (CsiEndpoint endpoint = CsiEndpoint.serve(dir.resolve("csi.sock"), List.of(identity))) {
      CsiSanity.Run run = CsiSanity.run(endpoint.socket(), "Identity Service", dir);

      assertThat(run.ended()).as("csi-sanity ends within 5 minutes:%n%s", run.output()).isTrue();
      assertThat(run.summarized()).as("csi-sanity's summary in:%n%s", run.output()).isTrue();
      System.out.printf(
          "csi-sanity, Identity Service: ran %d of %d specs, %d passed, %d failed%n",
          run.ran(), run.total(), run.passed(), run.failed());
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.ran()).isPositive();
      assertThat(run.failed()).isZero();
    }
  }
}
