package dev.lunar.csi.node;

import csi.v1.ControllerGrpc;
import csi.v1.Csi.ControllerGetCapabilitiesRequest;
import csi.v1.Csi.ControllerGetCapabilitiesResponse;
import csi.v1.Csi.ControllerServiceCapability;
import csi.v1.Csi.CreateVolumeRequest;
import csi.v1.Csi.CreateVolumeResponse;
import csi.v1.Csi.DeleteVolumeRequest;
import csi.v1.Csi.DeleteVolumeResponse;
import csi.v1.Csi.Volume;
import dev.lunar.csi.VolumeContext;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * A stand-in controller for csi-sanity's Node specs, which create each volume they stage: every
 * volume is LUN 1 of one existing target. csi-sanity stages its volumes one after another, so they
 * can share the LUN. (The real controller lives in the operator, which this module cannot use.)
 */
final class OneTargetController extends ControllerGrpc.ControllerImplBase {

  private final String portal;
  private final String iqn;

  OneTargetController(String portal, String iqn) {
    this.portal = portal;
    this.iqn = iqn;
  }

  @Override
  public void controllerGetCapabilities(
      ControllerGetCapabilitiesRequest request,
      StreamObserver<ControllerGetCapabilitiesResponse> response) {
    response.onNext(
        ControllerGetCapabilitiesResponse.newBuilder()
            .addCapabilities(
                ControllerServiceCapability.newBuilder()
                    .setRpc(
                        ControllerServiceCapability.RPC
                            .newBuilder()
                            .setType(ControllerServiceCapability.RPC.Type.CREATE_DELETE_VOLUME)))
            .build());
    response.onCompleted();
  }

  @Override
  public void createVolume(
      CreateVolumeRequest request, StreamObserver<CreateVolumeResponse> response) {
    if (request.getName().isEmpty()) {
      response.onError(Status.INVALID_ARGUMENT.withDescription("no name").asRuntimeException());
      return;
    }
    response.onNext(
        CreateVolumeResponse.newBuilder()
            .setVolume(
                Volume.newBuilder()
                    .setVolumeId(request.getName())
                    .setCapacityBytes(request.getCapacityRange().getRequiredBytes())
                    .putVolumeContext(VolumeContext.PORTAL, portal)
                    .putVolumeContext(VolumeContext.IQN, iqn)
                    .putVolumeContext(VolumeContext.LUN, "1"))
            .build());
    response.onCompleted();
  }

  @Override
  public void deleteVolume(
      DeleteVolumeRequest request, StreamObserver<DeleteVolumeResponse> response) {
    response.onNext(DeleteVolumeResponse.getDefaultInstance());
    response.onCompleted();
  }
}
