package dev.lunar.operator.csi;

import csi.v1.Csi.NodeGetCapabilitiesRequest;
import csi.v1.Csi.NodeGetCapabilitiesResponse;
import csi.v1.Csi.NodeGetInfoRequest;
import csi.v1.Csi.NodeGetInfoResponse;
import csi.v1.NodeGrpc;
import dev.lunar.csi.CsiEndpoint;
import dev.lunar.csi.IdentityService;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;

/** Node endpoints for the controller's tests. */
final class NodeEndpoints {

  private NodeEndpoints() {}

  /** Identity and NodeGetInfo only: csi-sanity's controller specs ask the node for its id. */
  static CsiEndpoint nodeInfoOnly(Path socket, String nodeId) {
    return CsiEndpoint.serve(
        socket,
        List.of(
            new IdentityService("it", List.of(), () -> true),
            new NodeGrpc.NodeImplBase() {
              @Override
              public void nodeGetCapabilities(
                  NodeGetCapabilitiesRequest request,
                  StreamObserver<NodeGetCapabilitiesResponse> response) {
                response.onNext(NodeGetCapabilitiesResponse.getDefaultInstance());
                response.onCompleted();
              }

              @Override
              public void nodeGetInfo(
                  NodeGetInfoRequest request, StreamObserver<NodeGetInfoResponse> response) {
                response.onNext(NodeGetInfoResponse.newBuilder().setNodeId(nodeId).build());
                response.onCompleted();
              }
            }));
  }
}
