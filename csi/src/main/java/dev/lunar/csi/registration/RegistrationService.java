package dev.lunar.csi.registration;

import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pluginregistration.Api.InfoRequest;
import pluginregistration.Api.PluginInfo;
import pluginregistration.Api.RegistrationStatus;
import pluginregistration.Api.RegistrationStatusResponse;
import pluginregistration.RegistrationGrpc;

/**
 * Kubelet's plugin registration, in place of the node-driver-registrar sidecar: kubelet finds this
 * service's socket in its plugins_registry directory, asks GetInfo which CSI driver this is and
 * where its endpoint is, and reports with NotifyRegistrationStatus whether it took the driver.
 */
public final class RegistrationService extends RegistrationGrpc.RegistrationImplBase {

  private static final Logger LOG = LoggerFactory.getLogger(RegistrationService.class);

  /** The plugin type kubelet's CSI handler serves. */
  static final String CSI_PLUGIN = "CSIPlugin";

  /** The registration API versions kubelet may speak with us. */
  static final List<String> SUPPORTED_VERSIONS = List.of("1.0.0");

  private final String driverName;
  private final String endpoint;
  private final AtomicReference<RegistrationStatus> status = new AtomicReference<>();

  /**
   * @param driverName the CSI driver's name
   * @param endpoint the node's CSI socket as kubelet sees it (a host path, since kubelet does not
   *     share the plugin's mount namespace)
   */
  public RegistrationService(String driverName, String endpoint) {
    this.driverName = driverName;
    this.endpoint = endpoint;
  }

  @Override
  public void getInfo(InfoRequest request, StreamObserver<PluginInfo> response) {
    response.onNext(
        PluginInfo.newBuilder()
            .setType(CSI_PLUGIN)
            .setName(driverName)
            .setEndpoint(endpoint)
            .addAllSupportedVersions(SUPPORTED_VERSIONS)
            .build());
    response.onCompleted();
  }

  @Override
  public void notifyRegistrationStatus(
      RegistrationStatus request, StreamObserver<RegistrationStatusResponse> response) {
    status.set(request);
    if (request.getPluginRegistered()) {
      LOG.info("kubelet registered CSI driver {} at {}", driverName, endpoint);
    } else {
      LOG.error("kubelet did not register CSI driver {}: {}", driverName, request.getError());
    }
    response.onNext(RegistrationStatusResponse.getDefaultInstance());
    response.onCompleted();
  }

  /** Whether kubelet last said it registered the driver; false until it says anything. */
  public boolean registered() {
    RegistrationStatus last = status.get();
    return last != null && last.getPluginRegistered();
  }

  /** Kubelet's last word, if it said one: its error when it refused the driver. */
  public Optional<RegistrationStatus> lastStatus() {
    return Optional.ofNullable(status.get());
  }
}
