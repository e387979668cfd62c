package dev.lunar.csi.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import csi.v1.Csi.PluginCapability;
import dev.lunar.csi.CsiEndpoint;
import dev.lunar.csi.CsiSanity;
import dev.lunar.csi.IdentityService;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * csi-sanity's Node Service specs against the node service with the host's real tools. They log in,
 * mkfs and mount for real, so they need a kernel iSCSI initiator (the iscsi_tcp module and
 * open-iscsi's iscsiadm, with iscsid running), root, and a target to stage from: a Lunar target
 * whose LUN 1 this node's initiator may log in to, given as LUNAR_CSI_IT_PORTAL and
 * LUNAR_CSI_IT_IQN (without CHAP). Where any of that is missing the test is skipped and says which.
 * The unit tests (NodeStageTest and the others) cover the same ground through a recorded runner,
 * and csi-sanity's request checks, which need no initiator, run here everywhere.
 */
class NodeConformanceIT {

  static final String NO_INITIATOR =
      "csi-sanity's Node specs need a kernel iSCSI initiator: /sys/module/iscsi_tcp (the iscsi_tcp"
          + " module) and iscsiadm (open-iscsi) on PATH, and this machine lacks them";

  @TempDir Path dir;

  @Test
  void csiSanityPassesEveryNodeSpec() throws Exception {
    assumeTrue(
        Files.isDirectory(Path.of("/sys/module/iscsi_tcp")) && onPath("iscsiadm"), NO_INITIATOR);
    String portal = System.getenv("LUNAR_CSI_IT_PORTAL");
    String iqn = System.getenv("LUNAR_CSI_IT_IQN");
    assumeTrue(
        portal != null && iqn != null,
        "csi-sanity's Node specs need a target to stage from: set LUNAR_CSI_IT_PORTAL and"
            + " LUNAR_CSI_IT_IQN to a target whose LUN 1 this node may log in to");
    NodeService node =
        new NodeService(
            InitiatorName.read(InitiatorName.DEFAULT_FILE),
            new ProcessCommandRunner(),
            NodeEnvironment.host(dir.resolve("state")));
    IdentityService identity =
        new IdentityService(
            "it", List.of(PluginCapability.Service.Type.CONTROLLER_SERVICE), () -> true);
    try (CsiEndpoint endpoint =
        CsiEndpoint.serve(
            dir.resolve("csi.sock"),
            List.of(identity, node, new OneTargetController(portal, iqn)))) {
      CsiSanity.Run run = CsiSanity.run(endpoint.socket(), "Node Service", dir);

      run.assertAllPassed("Node Service", 1);
    }
  }

  /**
   * The Node specs that fail a request before it reaches the initiator run everywhere: csi-sanity's
   * own checks of the service's request validation and status codes, against the real gRPC socket.
   */
  @Test
  void csiSanitysRequestChecksPassWithoutAnInitiator() throws Exception {
    ScriptedRunner runner = new ScriptedRunner();
    NodeService node =
        new NodeService(
            "iqn.2026-12.dev.lunar:it-node", runner, NodeEnvironment.host(dir.resolve("state")));
    IdentityService identity =
        new IdentityService(
            "it", List.of(PluginCapability.Service.Type.CONTROLLER_SERVICE), () -> true);
    OneTargetController controller =
        new OneTargetController("192.0.2.1:3260", "iqn.2026-12.dev.lunar:none");
    try (CsiEndpoint endpoint =
        CsiEndpoint.serve(dir.resolve("csi.sock"), List.of(identity, node, controller))) {
      CsiSanity.Run run =
          CsiSanity.run(
              endpoint.socket(),
              "Node Service (NodeGetCapabilities|NodeGetInfo|\\w+ should fail when (no|volume is"
                  + " not found))",
              dir);

      run.assertAllPassed("Node Service request checks", 12);
    }
    assertThat(runner.linesWith("iscsiadm")).as("no request reached the initiator").isEmpty();
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
    return Stream.of(path.split(File.pathSeparator))
        .filter(entry -> !entry.isEmpty())
        .anyMatch(entry -> Files.isExecutable(Path.of(entry, program)));
  }
}
