package dev.lunar.csi;

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
    IdentityService identity = new IdentityService("it", List.of(), Readiness.ALWAYS);
    try (CsiEndpoint endpoint = CsiEndpoint.serve(dir.resolve("csi.sock"), List.of(identity))) {
      CsiSanity.Run run = CsiSanity.run(endpoint.socket(), "Identity Service", dir);

      run.assertAllPassed("Identity Service", 1);
    }
  }
}
