package dev.lunar.csi.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import csi.v1.Csi.PluginCapability;
import dev.lunar.csi.CsiEndpoint;
import dev.lunar.csi.CsiSanity;
import dev.lunar.csi.IdentityService;
import dev.lunar.csi.Readiness;
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
 * and the same csi-sanity specs run everywhere against a recorded host.
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
    runNodeSpecs(node, new OneTargetController(portal, iqn));
  }

  /**
   * The same specs everywhere, against the node service driving a recorded host (FakeHost: scripted
   * iscsiadm, blkid, mkfs and mount over a temporary /dev, /sys and mountinfo) instead of the
   * kernel's: csi-sanity's checks of the requests, status codes, idempotency and target paths, over
   * the real gRPC socket.
   */
  @Test
  void csiSanityPassesEveryNodeSpecAgainstARecordedHost() throws Exception {
    FakeHost host = new FakeHost(dir.resolve("host"));
    host.exportLun(FakeHost.TARGET, 1, "sdb");

    runNodeSpecs(host.service(), new OneTargetController(FakeHost.PORTAL, FakeHost.IQN));

    assertThat(host.runner.linesWith("--login")).isNotEmpty();
    assertThat(host.runner.linesWith("--logout")).isNotEmpty();
    assertThat(host.mountinfoLines()).as("everything unmounted again").hasSize(1);
  }

  private void runNodeSpecs(NodeService node, OneTargetController controller) throws Exception {
    IdentityService identity =
        new IdentityService(
            "it", List.of(PluginCapability.Service.Type.CONTROLLER_SERVICE), Readiness.ALWAYS);
    try (CsiEndpoint endpoint =
        CsiEndpoint.serve(dir.resolve("csi.sock"), List.of(identity, node, controller))) {
      CsiSanity.Run run = CsiSanity.run(endpoint.socket(), "Node Service", dir);

      run.assertAllPassed("Node Service", 15);
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
    return Stream.of(path.split(File.pathSeparator))
        .filter(entry -> !entry.isEmpty())
        .anyMatch(entry -> Files.isExecutable(Path.of(entry, program)));
  }
}
