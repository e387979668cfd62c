package dev.lunar.csi.node;

import csi.v1.Csi.NodeGetCapabilitiesRequest;
import csi.v1.Csi.NodeGetCapabilitiesResponse;
import csi.v1.Csi.NodeGetInfoRequest;
import csi.v1.Csi.NodeGetInfoResponse;
import csi.v1.Csi.NodeGetVolumeStatsRequest;
import csi.v1.Csi.NodeGetVolumeStatsResponse;
import csi.v1.Csi.NodePublishVolumeRequest;
import csi.v1.Csi.NodePublishVolumeResponse;
import csi.v1.Csi.NodeServiceCapability;
import csi.v1.Csi.NodeStageVolumeRequest;
import csi.v1.Csi.NodeStageVolumeResponse;
import csi.v1.Csi.NodeUnpublishVolumeRequest;
import csi.v1.Csi.NodeUnpublishVolumeResponse;
import csi.v1.Csi.NodeUnstageVolumeRequest;
import csi.v1.Csi.NodeUnstageVolumeResponse;
import csi.v1.NodeGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CSI Node: stages a Lunar volume by logging this node's initiator in to the volume's target and
 * mounting its LUN, publishes it into pods by bind mounts, and reports its usage. The node's ID is
 * its initiator name, which the controller adds to a target's ACL on ControllerPublishVolume.
 *
 * <p>Requests for one volume are served one at a time; a second one meanwhile is answered ABORTED,
 * as the spec asks, and the CO retries it.
 */
public final class NodeService extends NodeGrpc.NodeImplBase {

  private static final Logger LOG = LoggerFactory.getLogger(NodeService.class);

  private final String nodeId;
  private final Stager stager;
  private final Publisher publisher;
  private final VolumeStats stats;
  private final Set<String> busy = ConcurrentHashMap.newKeySet();

  /**
   * @param nodeId this node's iSCSI initiator name
   * @param runner runs iscsiadm, blkid, mkfs, mount and umount
   * @param environment where the host's devices, mounts and this plugin's records are
   */
  public NodeService(String nodeId, CommandRunner runner, NodeEnvironment environment) {
    this.nodeId = nodeId;
    Devices devices = new Devices(environment.byPath(), environment.sysBlock());
    Filesystems filesystems = new Filesystems(runner);
    Mounts mounts = new Mounts(environment.mountinfo());
    StagingState state = new StagingState(environment.stateDir());
    this.stager =
        new Stager(
            new Iscsiadm(runner), devices, filesystems, mounts, state, environment.deviceTimeout());
    this.publisher = new Publisher(devices, filesystems, mounts, state);
    this.stats = new VolumeStats(environment.sysDevBlock());
  }

  @Override
  public void nodeGetCapabilities(
      NodeGetCapabilitiesRequest request, StreamObserver<NodeGetCapabilitiesResponse> response) {
    NodeGetCapabilitiesResponse.Builder answer = NodeGetCapabilitiesResponse.newBuilder();
    for (NodeServiceCapability.RPC.Type type :
        new NodeServiceCapability.RPC.Type[] {
          NodeServiceCapability.RPC.Type.STAGE_UNSTAGE_VOLUME,
          NodeServiceCapability.RPC.Type.GET_VOLUME_STATS
        }) {
      answer.addCapabilities(
          NodeServiceCapability.newBuilder()
              .setRpc(NodeServiceCapability.RPC.newBuilder().setType(type)));
    }
    response.onNext(answer.build());
    response.onCompleted();
  }

  /** No volume limit (0) and no topology: any node can reach any portal. */
  @Override
  public void nodeGetInfo(
      NodeGetInfoRequest request, StreamObserver<NodeGetInfoResponse> response) {
    response.onNext(
        NodeGetInfoResponse.newBuilder().setNodeId(nodeId).setMaxVolumesPerNode(0).build());
    response.onCompleted();
  }

  @Override
  public void nodeStageVolume(
      NodeStageVolumeRequest request, StreamObserver<NodeStageVolumeResponse> response) {
    serve(
        response,
        request.getVolumeId(),
        () -> {
          stager.stage(NodeRequests.staging(request));
          return NodeStageVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void nodeUnstageVolume(
      NodeUnstageVolumeRequest request, StreamObserver<NodeUnstageVolumeResponse> response) {
    serve(
        response,
        request.getVolumeId(),
        () -> {
          NodeRequests.require(request.getVolumeId(), "volume_id");
          NodeRequests.require(request.getStagingTargetPath(), "staging_target_path");
          stager.unstage(request.getVolumeId(), NodeRequests.path(request.getStagingTargetPath()));
          return NodeUnstageVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void nodePublishVolume(
      NodePublishVolumeRequest request, StreamObserver<NodePublishVolumeResponse> response) {
    serve(
        response,
        request.getVolumeId(),
        () -> {
          NodeRequests.require(request.getVolumeId(), "volume_id");
          NodeRequests.require(request.getTargetPath(), "target_path");
          boolean block =
              NodeRequests.isBlock(request.getVolumeCapability(), request.hasVolumeCapability());
          if (request.getStagingTargetPath().isEmpty()) {
            throw StageFailures.failedPrecondition(
                "staging_target_path is missing; this plugin stages every volume first");
          }
          publisher.publish(
              request.getVolumeId(),
              NodeRequests.path(request.getStagingTargetPath()),
              NodeRequests.path(request.getTargetPath()),
              block,
              request.getReadonly());
          return NodePublishVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void nodeUnpublishVolume(
      NodeUnpublishVolumeRequest request, StreamObserver<NodeUnpublishVolumeResponse> response) {
    serve(
        response,
        request.getVolumeId(),
        () -> {
          NodeRequests.require(request.getVolumeId(), "volume_id");
          NodeRequests.require(request.getTargetPath(), "target_path");
          publisher.unpublish(request.getVolumeId(), NodeRequests.path(request.getTargetPath()));
          return NodeUnpublishVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void nodeGetVolumeStats(
      NodeGetVolumeStatsRequest request, StreamObserver<NodeGetVolumeStatsResponse> response) {
    serve(
        response,
        null,
        () -> {
          NodeRequests.require(request.getVolumeId(), "volume_id");
          NodeRequests.require(request.getVolumePath(), "volume_path");
          // A relative path cannot be where kubelet published a volume: not found, like any
          // path that does not exist (csi-sanity asks about "some/path").
          Path path = Path.of(request.getVolumePath());
          if (!path.isAbsolute() || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw Status.NOT_FOUND
                .withDescription(
                    "volume " + request.getVolumeId() + " has no path " + path + " on this node")
                .asRuntimeException();
          }
          return stats.of(path);
        });
  }

  /** One call's work; it may throw whatever the node's tools and files throw. */
  @FunctionalInterface
  private interface Call<T> {
    T run() throws IOException, InterruptedException;
  }

  /**
   * Runs {@code call} and answers its result or its failure as a gRPC status. Failures carry only
   * messages this package built, which never include a secret.
   */
  private <T> void serve(StreamObserver<T> response, String volumeId, Call<T> call) {
    boolean locked = volumeId != null && !volumeId.isEmpty();
    if (locked && !busy.add(volumeId)) {
      response.onError(
          Status.ABORTED
              .withDescription("another operation on volume " + volumeId + " is in progress")
              .asRuntimeException());
      return;
    }
    // The volume is released before the answer goes out: a caller that sends its next call on
    // the volume the moment it has this answer must not find it still busy.
    T answer;
    try {
      answer = call.run();
    } catch (StatusRuntimeException e) {
      release(locked, volumeId);
      fail(response, e);
      return;
    } catch (IllegalArgumentException e) {
      release(locked, volumeId);
      fail(response, Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (IOException e) {
      release(locked, volumeId);
      fail(response, Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      release(locked, volumeId);
      fail(response, Status.ABORTED.withDescription("interrupted").asRuntimeException());
      return;
    } catch (RuntimeException e) {
      release(locked, volumeId);
      throw e;
    }
    release(locked, volumeId);
    response.onNext(answer);
    response.onCompleted();
  }

  private void release(boolean locked, String volumeId) {
    if (locked) {
      busy.remove(volumeId);
    }
  }

  private static <T> void fail(StreamObserver<T> response, StatusRuntimeException e) {
    Status status = e.getStatus();
    if (status.getCode() != Status.Code.INVALID_ARGUMENT
        && status.getCode() != Status.Code.NOT_FOUND) {
      LOG.warn("{}: {}", status.getCode(), status.getDescription());
    }
    response.onError(e);
  }
}
