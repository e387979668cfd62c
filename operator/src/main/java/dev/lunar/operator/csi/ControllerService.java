package dev.lunar.operator.csi;

import csi.v1.ControllerGrpc;
import csi.v1.Csi.ControllerGetCapabilitiesRequest;
import csi.v1.Csi.ControllerGetCapabilitiesResponse;
import csi.v1.Csi.ControllerPublishVolumeRequest;
import csi.v1.Csi.ControllerPublishVolumeResponse;
import csi.v1.Csi.ControllerServiceCapability;
import csi.v1.Csi.ControllerServiceCapability.RPC.Type;
import csi.v1.Csi.ControllerUnpublishVolumeRequest;
import csi.v1.Csi.ControllerUnpublishVolumeResponse;
import csi.v1.Csi.CreateVolumeRequest;
import csi.v1.Csi.CreateVolumeResponse;
import csi.v1.Csi.DeleteVolumeRequest;
import csi.v1.Csi.DeleteVolumeResponse;
import csi.v1.Csi.GetCapacityRequest;
import csi.v1.Csi.GetCapacityResponse;
import csi.v1.Csi.ListVolumesRequest;
import csi.v1.Csi.ListVolumesResponse;
import csi.v1.Csi.ValidateVolumeCapabilitiesRequest;
import csi.v1.Csi.ValidateVolumeCapabilitiesResponse;
import csi.v1.Csi.VolumeCapability;
import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiName;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CSI Controller service: a volume is an IscsiTarget plus an IscsiLun carved from an IscsiPool,
 * made through the same API a person uses ({@link VolumeStore}); publishing a volume to a node puts
 * that node's initiator name (its CSI node id) into the target's ACL. Every call is idempotent, as
 * the sidecars retry them.
 */
public final class ControllerService extends ControllerGrpc.ControllerImplBase {

  private static final Logger log = LoggerFactory.getLogger(ControllerService.class);

  private static final List<Type> CAPABILITIES =
      List.of(
          Type.CREATE_DELETE_VOLUME,
          Type.PUBLISH_UNPUBLISH_VOLUME,
          Type.LIST_VOLUMES,
          Type.GET_CAPACITY);

  private final VolumeStore store;
  private final VolumeWait waits;

  ControllerService(VolumeStore store, VolumeWait waits) {
    this.store = store;
    this.waits = waits;
  }

  @Override
  public void controllerGetCapabilities(
      ControllerGetCapabilitiesRequest request,
      StreamObserver<ControllerGetCapabilitiesResponse> response) {
    ControllerGetCapabilitiesResponse.Builder answer =
        ControllerGetCapabilitiesResponse.newBuilder();
    for (Type type : CAPABILITIES) {
      answer.addCapabilities(
          ControllerServiceCapability.newBuilder()
              .setRpc(ControllerServiceCapability.RPC.newBuilder().setType(type)));
    }
    answer(response, answer::build);
  }

  @Override
  public void createVolume(
      CreateVolumeRequest request, StreamObserver<CreateVolumeResponse> response) {
    answer(
        response,
        () -> {
          VolumeRequest wanted = VolumeRequest.of(request);
          String name = wanted.objectName();
          synchronized (this) {
            // One create at a time: the pool's free space is read, then spent.
            IscsiLun existing = store.lun(name);
            if (existing != null) {
              checkSameVolume(existing, wanted);
            } else {
              IscsiPool pool = PoolChoice.choose(store.pools(), wanted);
              String access = access(request.getVolumeCapabilitiesList());
              log.info(
                  "creating volume {} ({} bytes) in pool {} on node {}",
                  name,
                  wanted.sizeBytes(),
                  pool.getMetadata().getName(),
                  pool.getSpec().node());
              store.create(
                  VolumeObjects.target(wanted, pool, store.namespace(), access),
                  VolumeObjects.lun(wanted, pool, store.namespace(), access));
            }
          }
          IscsiLun ready = waits.ready(name);
          return CreateVolumeResponse.newBuilder()
              .setVolume(Volumes.volume(ready, store.target(name)))
              .build();
        });
  }

  @Override
  public void deleteVolume(
      DeleteVolumeRequest request, StreamObserver<DeleteVolumeResponse> response) {
    answer(
        response,
        () -> {
          String id = required(request.getVolumeId(), "a volume id");
          IscsiLun lun = store.lun(id);
          IscsiTarget target = store.target(id);
          if ((lun != null && !VolumeObjects.ours(lun))
              || (target != null && !VolumeObjects.ours(target))) {
            // A person's own objects under that name: not a volume of this driver, never deleted.
            log.warn("DeleteVolume {}: the objects of that name are not the CSI driver's", id);
            return DeleteVolumeResponse.getDefaultInstance();
          }
          if (lun != null || target != null) {
            log.info("deleting volume {}", id);
            store.delete(id);
            waits.gone(id);
          }
          return DeleteVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void controllerPublishVolume(
      ControllerPublishVolumeRequest request,
      StreamObserver<ControllerPublishVolumeResponse> response) {
    answer(
        response,
        () -> {
          String id = required(request.getVolumeId(), "a volume id");
          String node = required(request.getNodeId(), "a node id");
          if (!request.hasVolumeCapability()) {
            throw CsiErrors.invalid("a volume capability is required");
          }
          String problem = Capabilities.problem(request.getVolumeCapability());
          if (problem != null) {
            throw CsiErrors.invalid(problem);
          }
          IscsiLun lun = ourVolume(id);
          if (!IscsiName.valid(node) || !store.nodeRegistered(node)) {
            throw CsiErrors.notFound(
                "no node registered with the Lunar CSI driver has the initiator name " + node);
          }
          boolean singleNode =
              Capabilities.singleNode(request.getVolumeCapability().getAccessMode().getMode());
          store.editInitiators(
              lun.getMetadata().getName(),
              names -> {
                List<String> others = names.stream().filter(n -> !n.equals(node)).toList();
                if (singleNode && !others.isEmpty()) {
                  throw CsiErrors.precondition(
                      "volume "
                          + id
                          + " is published to "
                          + others
                          + " and its access mode"
                          + " lets one node use it at a time");
                }
                if (!names.contains(node)) {
                  names.add(node);
                  log.info("volume {}: admitting initiator {}", id, node);
                }
                return names;
              });
          waits.admission(lun.getMetadata().getName(), node, true);
          return ControllerPublishVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void controllerUnpublishVolume(
      ControllerUnpublishVolumeRequest request,
      StreamObserver<ControllerUnpublishVolumeResponse> response) {
    answer(
        response,
        () -> {
          String id = required(request.getVolumeId(), "a volume id");
          String node = request.getNodeId();
          IscsiLun lun = store.lun(id);
          if (lun == null || !VolumeObjects.ours(lun) || store.target(id) == null) {
            return ControllerUnpublishVolumeResponse.getDefaultInstance();
          }
          store.editInitiators(
              id,
              names -> {
                // No node id: unpublish from every node, as the spec allows.
                names.removeIf(n -> node.isEmpty() || n.equals(node));
                return names;
              });
          waits.admission(id, node, false);
          log.info("volume {}: initiator {} no longer admitted", id, node.isEmpty() ? "*" : node);
          return ControllerUnpublishVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void validateVolumeCapabilities(
      ValidateVolumeCapabilitiesRequest request,
      StreamObserver<ValidateVolumeCapabilitiesResponse> response) {
    answer(
        response,
        () -> {
          String id = required(request.getVolumeId(), "a volume id");
          if (request.getVolumeCapabilitiesCount() == 0) {
            throw CsiErrors.invalid("volume capabilities are required");
          }
          ourVolume(id);
          String problem = Capabilities.problem(request.getVolumeCapabilitiesList());
          ValidateVolumeCapabilitiesResponse.Builder answer =
              ValidateVolumeCapabilitiesResponse.newBuilder();
          if (problem != null) {
            return answer.setMessage(problem).build();
          }
          return answer
              .setConfirmed(
                  ValidateVolumeCapabilitiesResponse.Confirmed.newBuilder()
                      .addAllVolumeCapabilities(request.getVolumeCapabilitiesList())
                      .putAllVolumeContext(request.getVolumeContextMap())
                      .putAllParameters(request.getParametersMap()))
              .build();
        });
  }

  @Override
  public void listVolumes(
      ListVolumesRequest request, StreamObserver<ListVolumesResponse> response) {
    answer(
        response,
        () -> {
          List<IscsiLun> volumes = store.volumes();
          return Volumes.page(
              volumes, request.getStartingToken(), request.getMaxEntries(), store::target);
        });
  }

  @Override
  public void getCapacity(
      GetCapacityRequest request, StreamObserver<GetCapacityResponse> response) {
    answer(
        response,
        () -> {
          if (request.getVolumeCapabilitiesCount() > 0
              && Capabilities.problem(request.getVolumeCapabilitiesList()) != null) {
            return GetCapacityResponse.getDefaultInstance();
          }
          String pool = request.getParametersMap().get(VolumeRequest.POOL);
          var selector =
              VolumeRequest.selector(
                  request.getParametersMap().getOrDefault(VolumeRequest.POOL_SELECTOR, ""));
          PoolChoice.Capacity capacity = PoolChoice.capacity(store.pools(), pool, selector);
          return GetCapacityResponse.newBuilder()
              .setAvailableCapacity(capacity.available())
              .setMaximumVolumeSize(com.google.protobuf.Int64Value.of(capacity.maximumVolume()))
              .build();
        });
  }

  private IscsiLun ourVolume(String id) {
    IscsiLun lun = store.lun(id);
    if (lun == null || !VolumeObjects.ours(lun)) {
      throw CsiErrors.notFound("volume " + id + " does not exist");
    }
    return lun;
  }

  private static void checkSameVolume(IscsiLun existing, VolumeRequest wanted) {
    String name = existing.getMetadata().getName();
    if (!VolumeObjects.ours(existing)) {
      throw CsiErrors.exists("an IscsiLun " + name + " not made by the CSI driver exists");
    }
    String csiName =
        existing.getMetadata().getAnnotations() == null
            ? null
            : existing.getMetadata().getAnnotations().get(VolumeObjects.CSI_NAME);
    if (!wanted.csiName().equals(csiName)) {
      throw CsiErrors.exists("volume " + name + " belongs to another CSI name, " + csiName);
    }
    if (existing.getMetadata().getDeletionTimestamp() != null) {
      throw CsiErrors.aborted("volume " + name + " is being deleted; try again");
    }
    long size = VolumeObjects.sizeBytes(existing);
    if (size != wanted.sizeBytes()) {
      throw CsiErrors.exists(
          "volume "
              + wanted.csiName()
              + " exists with "
              + size
              + " bytes, not "
              + wanted.sizeBytes());
    }
  }

  private static String access(List<VolumeCapability> capabilities) {
    return capabilities.stream()
        .map(c -> (c.hasBlock() ? "block:" : "mount:") + c.getAccessMode().getMode())
        .distinct()
        .collect(Collectors.joining(","));
  }

  private static String required(String value, String what) {
    if (value.isEmpty()) {
      throw CsiErrors.invalid(what + " is required");
    }
    return value;
  }

  /** Runs {@code call} and answers its result, or the CSI status it failed with. */
  private static <T> void answer(StreamObserver<T> response, Supplier<T> call) {
    T result;
    try {
      result = call.get();
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    } catch (RuntimeException e) {
      log.warn("CSI call failed: {}", e.toString());
      response.onError(
          Status.INTERNAL.withDescription(e.getMessage()).withCause(e).asRuntimeException());
      return;
    }
    response.onNext(result);
    response.onCompleted();
  }
}
