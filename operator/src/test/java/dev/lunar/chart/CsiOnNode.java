package dev.lunar.chart;

import dev.lunar.operator.RealApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The CSI driver's part of the chart on the test node: the sidecar images built here from their Go
 * modules (scripts/images.sh imports them when operator/src/test/go/csi-tools built the binaries),
 * kubelet's directory in the cluster's state dir, and an open-iscsi configuration naming the node's
 * initiator, as the open-iscsi package writes it on a real node.
 */
final class CsiOnNode {

  static final String NODE_INITIATOR = "iqn.2026-12.dev.lunar.test:lunar-node";

  private CsiOnNode() {}

  /** The version a sidecar binary was built from, when it was. */
  static Optional<String> sidecarVersion(String tool) {
    Path stamp = RealApiServer.csiTools().resolve("." + tool + ".version");
    try {
      return Files.isExecutable(RealApiServer.csiTools().resolve(tool))
          ? Optional.of(Files.readString(stamp).strip())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static boolean sidecarsBuilt() {
    return sidecarVersion("csi-provisioner").isPresent()
        && sidecarVersion("csi-attacher").isPresent();
  }

  /** The chart values of the csi section; the driver is off when the sidecars were not built. */
  static String values(Path work, Path clusterState) {
    if (!sidecarsBuilt()) {
      return "csi: {enabled: false}\n";
    }
    Path iscsi = work.resolve("iscsi");
    try {
      Files.createDirectories(iscsi);
      Files.writeString(
          iscsi.resolve("initiatorname.iscsi"), "InitiatorName=" + NODE_INITIATOR + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return """
        csi:
          provisioner:
            image: {repository: lunar/csi-provisioner, tag: %s, pullPolicy: Never}
          attacher:
            image: {repository: lunar/csi-attacher, tag: %s, pullPolicy: Never}
          node:
            kubeletDir: %s
            iscsiConfigDir: %s
            iscsiStateDir: %s
            iscsiLockDir: %s
          storageClass:
            parameters: {pool: claims}
        """
        .formatted(
            sidecarVersion("csi-provisioner").orElseThrow(),
            sidecarVersion("csi-attacher").orElseThrow(),
            clusterState.resolve("kubelet"),
            iscsi,
            work.resolve("iscsi-state"),
            work.resolve("iscsi-lock"));
  }
}
