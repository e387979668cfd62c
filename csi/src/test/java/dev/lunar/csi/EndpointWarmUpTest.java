package dev.lunar.csi;

import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.ControllerGrpc;
import csi.v1.Csi.ControllerGetCapabilitiesRequest;
import csi.v1.Csi.ControllerGetCapabilitiesResponse;
import csi.v1.Csi.CreateVolumeRequest;
import csi.v1.Csi.CreateVolumeResponse;
import csi.v1.Csi.GetPluginCapabilitiesRequest;
import csi.v1.Csi.GetPluginCapabilitiesResponse;
import csi.v1.Csi.GetPluginInfoRequest;
import csi.v1.Csi.GetPluginInfoResponse;
import csi.v1.Csi.ProbeRequest;
import csi.v1.Csi.ProbeResponse;
import csi.v1.IdentityGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint answers the sidecars' first calls once before its socket is published, and makes no
 * other call: by the time {@link CsiEndpoint#serve} returns, each of those has been served once (an
 * error answer counts) and nothing that changes state was called.
 */
class EndpointWarmUpTest {

  @TempDir Path dir;

  private final Map<String, Integer> served = new ConcurrentHashMap<>();

  @Test
  void theFirstCallsAreServedOnceBeforeServeReturnsAndNothingElseIs() {
    try (CsiEndpoint endpoint =
        CsiEndpoint.serve(dir.resolve("csi.sock"), List.of(new Identity(), new Controller()))) {
      assertThat(served)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "GetPluginInfo", 1,
                  "GetPluginCapabilities", 1,
                  "ControllerGetCapabilities", 1));
      assertThat(endpoint.socket()).exists();
    }
  }

  private void count(String method) {
    served.merge(method, 1, Integer::sum);
  }

  private final class Identity extends IdentityGrpc.IdentityImplBase {
    @Override
    public void getPluginInfo(
        GetPluginInfoRequest request, StreamObserver<GetPluginInfoResponse> response) {
      count("GetPluginInfo");
      response.onNext(GetPluginInfoResponse.newBuilder().setName("iscsi.lunar.dev").build());
      response.onCompleted();
    }

    @Override
    public void getPluginCapabilities(
        GetPluginCapabilitiesRequest request,
        StreamObserver<GetPluginCapabilitiesResponse> response) {
      count("GetPluginCapabilities");
      // An error answer warms the path as well as a success.
      response.onError(Status.INTERNAL.withDescription("refused").asRuntimeException());
    }

    @Override
    public void probe(ProbeRequest request, StreamObserver<ProbeResponse> response) {
      count("Probe");
      response.onNext(ProbeResponse.getDefaultInstance());
      response.onCompleted();
    }
  }

  private final class Controller extends ControllerGrpc.ControllerImplBase {
    @Override
    public void controllerGetCapabilities(
        ControllerGetCapabilitiesRequest request,
        StreamObserver<ControllerGetCapabilitiesResponse> response) {
      count("ControllerGetCapabilities");
      response.onNext(ControllerGetCapabilitiesResponse.getDefaultInstance());
      response.onCompleted();
    }

    @Override
    public void createVolume(
        CreateVolumeRequest request, StreamObserver<CreateVolumeResponse> response) {
      count("CreateVolume");
      response.onError(Status.INTERNAL.asRuntimeException());
    }
  }
}
