package dev.lunar.csi.node;

import static dev.lunar.csi.node.Calls.call;
import static dev.lunar.csi.node.NodeStageTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import csi.v1.Csi.NodeGetCapabilitiesRequest;
import csi.v1.Csi.NodeGetInfoRequest;
import csi.v1.Csi.NodeGetVolumeStatsRequest;
import csi.v1.Csi.NodePublishVolumeRequest;
import csi.v1.Csi.NodeServiceCapability;
import csi.v1.Csi.NodeStageVolumeRequest;
import csi.v1.Csi.NodeUnpublishVolumeRequest;
import csi.v1.Csi.NodeUnstageVolumeRequest;
import csi.v1.Csi.VolumeCapability;
import csi.v1.Csi.VolumeCapability.AccessMode;
import dev.lunar.csi.VolumeContext;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the node service tells about itself, and the requests it refuses before doing anything. */
class NodeRequestsTest {

  @TempDir Path dir;
  private FakeHost host;
  private NodeService node;

  @BeforeEach
  void setUp() throws Exception {
    host = new FakeHost(dir);
    node = host.service();
  }

  @Test
  void nodeIdIsTheInitiatorNameWithoutLimitOrTopology() {
    var info = call(node::nodeGetInfo, NodeGetInfoRequest.getDefaultInstance());

    assertThat(info.getNodeId()).isEqualTo("iqn.1993-08.org.debian:01:node-1");
    assertThat(info.getMaxVolumesPerNode()).isZero();
    assertThat(info.hasAccessibleTopology()).isFalse();
  }

  @Test
  void capabilitiesAreStageUnstageAndVolumeStats() {
    var capabilities =
        call(node::nodeGetCapabilities, NodeGetCapabilitiesRequest.getDefaultInstance());

    assertThat(capabilities.getCapabilitiesList())
        .extracting(c -> c.getRpc().getType())
        .containsExactly(
            NodeServiceCapability.RPC.Type.STAGE_UNSTAGE_VOLUME,
            NodeServiceCapability.RPC.Type.GET_VOLUME_STATS);
  }

  static Stream<Arguments> badStages() {
    return Stream.of(
        bad("no volume_id", b -> b.clearVolumeId()),
        bad("no staging_target_path", b -> b.clearStagingTargetPath()),
        bad("a relative staging_target_path", b -> b.setStagingTargetPath("relative/path")),
        bad("no volume_capability", b -> b.clearVolumeCapability()),
        bad(
            "a capability without access type",
            b -> b.setVolumeCapability(VolumeCapability.getDefaultInstance())),
        bad("an unsupported fs_type", b -> b.setVolumeCapability(Requests.mount("ntfs"))),
        bad(
            "a file system for writers on several nodes",
            b ->
                b.setVolumeCapability(
                    Requests.mount("ext4").toBuilder()
                        .setAccessMode(
                            AccessMode.newBuilder()
                                .setMode(AccessMode.Mode.MULTI_NODE_MULTI_WRITER)))),
        bad("no portal", b -> b.removeVolumeContext(VolumeContext.PORTAL)),
        bad("no iqn", b -> b.removeVolumeContext(VolumeContext.IQN)),
        bad("no lun", b -> b.removeVolumeContext(VolumeContext.LUN)),
        bad("a lun that is no number", b -> b.putVolumeContext(VolumeContext.LUN, "one")),
        bad("a negative lun", b -> b.putVolumeContext(VolumeContext.LUN, "-1")),
        bad(
            "a portal with a bad port",
            b -> b.putVolumeContext(VolumeContext.PORTAL, "10.0.0.1:x")),
        bad("a CHAP username without password", b -> b.removeSecrets("password")),
        bad(
            "a CHAP password without username",
            b -> b.removeSecrets("username").putSecrets("password", Requests.SECRET)),
        bad(
            "half of mutual CHAP",
            b -> b.putSecrets("usernameIn", "target").removeSecrets("passwordIn")));
  }

  private static Arguments bad(String what, UnaryOperator<NodeStageVolumeRequest.Builder> change) {
    return Arguments.of(what, change);
  }

  @ParameterizedTest(name = "a stage request with {0}")
  @MethodSource("badStages")
  void badStageRequestsAreInvalidArgumentAndRunNothing(
      String what, UnaryOperator<NodeStageVolumeRequest.Builder> change) {
    NodeStageVolumeRequest request =
        change.apply(Requests.stage("vol-1", 1, dir.resolve("staging"))).build();

    assertThatThrownBy(() -> call(node::nodeStageVolume, request))
        .satisfies(e -> assertCode(e, Status.Code.INVALID_ARGUMENT))
        .hasMessageNotContaining(Requests.SECRET);
    assertThat(host.runner.lines()).isEmpty();
  }

  @Test
  void badUnstagePublishUnpublishAndStatsRequestsAreInvalidArgument() {
    Path path = dir.resolve("p");
    for (Runnable call :
        new Runnable[] {
          () ->
              call(
                  node::nodeUnstageVolume,
                  NodeUnstageVolumeRequest.newBuilder().setStagingTargetPath("" + path).build()),
          () ->
              call(
                  node::nodeUnstageVolume,
                  NodeUnstageVolumeRequest.newBuilder().setVolumeId("v").build()),
          () ->
              call(
                  node::nodePublishVolume,
                  NodePublishVolumeRequest.newBuilder().setTargetPath("" + path).build()),
          () ->
              call(
                  node::nodePublishVolume,
                  NodePublishVolumeRequest.newBuilder()
                      .setVolumeId("v")
                      .setVolumeCapability(Requests.mount(""))
                      .build()),
          () ->
              call(
                  node::nodePublishVolume,
                  Requests.publish("v", path, path).clearVolumeCapability().build()),
          () ->
              call(
                  node::nodeUnpublishVolume,
                  NodeUnpublishVolumeRequest.newBuilder().setTargetPath("" + path).build()),
          () ->
              call(
                  node::nodeUnpublishVolume,
                  NodeUnpublishVolumeRequest.newBuilder().setVolumeId("v").build()),
          () ->
              call(
                  node::nodeGetVolumeStats,
                  NodeGetVolumeStatsRequest.newBuilder().setVolumePath("" + path).build()),
          () ->
              call(
                  node::nodeGetVolumeStats,
                  NodeGetVolumeStatsRequest.newBuilder().setVolumeId("v").build())
        }) {
      assertThatThrownBy(call::run).satisfies(e -> assertCode(e, Status.Code.INVALID_ARGUMENT));
    }
    assertThat(host.runner.lines()).isEmpty();
  }
}
