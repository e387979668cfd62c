package dev.lunar.csi;

import com.google.protobuf.BoolValue;
import csi.v1.Csi.GetPluginCapabilitiesRequest;
import csi.v1.Csi.GetPluginCapabilitiesResponse;
import csi.v1.Csi.GetPluginInfoRequest;
import csi.v1.Csi.GetPluginInfoResponse;
import csi.v1.Csi.PluginCapability;
import csi.v1.Csi.ProbeRequest;
import csi.v1.Csi.ProbeResponse;
import csi.v1.IdentityGrpc;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * CSI Identity: who the driver is, which services it offers, and whether it is ready. Every
 * endpoint of the driver serves one (the sidecars and kubelet ask each socket).
 */
public final class IdentityService extends IdentityGrpc.IdentityImplBase {

  /** The driver's name: the CSIDriver object, StorageClasses and PVs carry it. */
  public static final String DRIVER_NAME = "iscsi.lunar.dev";

  private final String version;
  private final List<PluginCapability.Service.Type> services;
  private final Readiness readiness;

  /**
   * @param version the driver's version, as GetPluginInfo reports it
   * @param services the services this endpoint offers besides Identity (CONTROLLER_SERVICE on the
   *     controller's endpoint; none on a node's)
   * @param readiness whether the endpoint can serve now: Probe's answer (its reason stays
   *     in-process: Probe has no field for it, and an error status would make the sidecars exit
   *     where not-ready makes them wait)
   */
  public IdentityService(
      String version, List<PluginCapability.Service.Type> services, Readiness readiness) {
    this.version = version;
    this.services = List.copyOf(services);
    this.readiness = readiness;
  }

  @Override
  public void getPluginInfo(
      GetPluginInfoRequest request, StreamObserver<GetPluginInfoResponse> response) {
    response.onNext(
        GetPluginInfoResponse.newBuilder().setName(DRIVER_NAME).setVendorVersion(version).build());
    response.onCompleted();
  }

  @Override
  public void getPluginCapabilities(
      GetPluginCapabilitiesRequest request,
      StreamObserver<GetPluginCapabilitiesResponse> response) {
    GetPluginCapabilitiesResponse.Builder answer = GetPluginCapabilitiesResponse.newBuilder();
    for (PluginCapability.Service.Type service : services) {
      answer.addCapabilities(
          PluginCapability.newBuilder()
              .setService(PluginCapability.Service.newBuilder().setType(service)));
    }
    response.onNext(answer.build());
    response.onCompleted();
  }

  @Override
  public void probe(ProbeRequest request, StreamObserver<ProbeResponse> response) {
    response.onNext(
        ProbeResponse.newBuilder()
            .setReady(BoolValue.newBuilder().setValue(readiness.problem().isEmpty()))
            .build());
    response.onCompleted();
  }
}
