package dev.lunar.operator.csi;

import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.Csi.CapacityRange;
import csi.v1.Csi.CreateVolumeRequest;
import csi.v1.Csi.VolumeCapability;
import csi.v1.Csi.VolumeCapability.AccessMode;
import csi.v1.Csi.VolumeCapability.AccessMode.Mode;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The controller's pure rules: names, sizes, parameters, capabilities and the pool choice. */
class VolumeRequestTest {

  private static final VolumeCapability MOUNT_RWO =
      VolumeCapability.newBuilder()
          .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4"))
          .setAccessMode(AccessMode.newBuilder().setMode(Mode.SINGLE_NODE_WRITER))
          .build();

  private static CreateVolumeRequest.Builder request(String name) {
    return CreateVolumeRequest.newBuilder().setName(name).addVolumeCapabilities(MOUNT_RWO);
  }

  private static Status.Code code(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void aProvisionersNameIsKeptAndAnyOtherFoldsToAStableLabel() {
    String pv = "pvc-0446317f-ca3a-40cd-98ef-cef062a1aa6b";
    String odd = "Controller Service [Controller Server] CreateVolume " + "x".repeat(100);

    assertThat(VolumeNames.objectName(pv)).isEqualTo(pv);
    assertThat(VolumeNames.objectName(odd))
        .isEqualTo(VolumeNames.objectName(odd))
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
        .hasSizeLessThanOrEqualTo(VolumeNames.MAX)
        .startsWith("controller-service-controller-server");
    assertThat(VolumeNames.objectName("a b")).isNotEqualTo(VolumeNames.objectName("a-b"));
    assertThat(VolumeNames.secretName(pv)).isEqualTo(pv + "-chap");
  }

  @Test
  void sizesRoundUpToWholeMibWithinTheLimit() {
    assertThat(VolumeRequest.size(null)).isEqualTo(1L << 30);
    assertThat(VolumeRequest.size(range(1, 0))).isEqualTo(1L << 20);
    assertThat(VolumeRequest.size(range((64L << 20) + 1, 0))).isEqualTo(65L << 20);
    assertThat(VolumeRequest.size(range(0, 256L << 20))).isEqualTo(256L << 20);
    assertThat(code(() -> VolumeRequest.size(range((1L << 20) + 1, (1L << 20) + 2))))
        .isEqualTo(Status.Code.OUT_OF_RANGE);
    assertThat(code(() -> VolumeRequest.size(range(2, 1)))).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void parametersAreContractsAndAnUnknownOneIsRefused() {
    VolumeRequest wanted =
        VolumeRequest.of(
            request("v")
                .putAllParameters(
                    Map.of(
                        "poolSelector", "tier=fast, zone=a",
                        "thin", "false",
                        "blockSize", "4096",
                        "csi.storage.k8s.io/pv/name", "v"))
                .build());

    assertThat(wanted.poolSelector()).isEqualTo(Map.of("tier", "fast", "zone", "a"));
    assertThat(wanted.thin()).isFalse();
    assertThat(wanted.blockSize()).isEqualTo(4096);
    assertThat(code(() -> VolumeRequest.of(request("v").putParameters("fsType", "ext4").build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(
            code(() -> VolumeRequest.of(request("v").putParameters("blockSize", "1024").build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(() -> VolumeRequest.of(request("").build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void aFilesystemIsWrittenFromOneNodeAndARawBlockVolumeFromMany() {
    VolumeCapability sharedFs =
        MOUNT_RWO.toBuilder()
            .setAccessMode(AccessMode.newBuilder().setMode(Mode.MULTI_NODE_MULTI_WRITER))
            .build();
    VolumeCapability sharedBlock =
        VolumeCapability.newBuilder()
            .setBlock(VolumeCapability.BlockVolume.getDefaultInstance())
            .setAccessMode(AccessMode.newBuilder().setMode(Mode.MULTI_NODE_MULTI_WRITER))
            .build();

    assertThat(Capabilities.problem(List.of(MOUNT_RWO))).isNull();
    assertThat(Capabilities.problem(List.of(sharedBlock))).isNull();
    assertThat(Capabilities.problem(List.of(sharedFs))).contains("raw block volume");
    assertThat(
            Capabilities.problem(
                List.of(
                    MOUNT_RWO.toBuilder()
                        .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("zfs"))
                        .build())))
        .contains("zfs is not supported");
  }

  @Test
  void theRoomiestReadyPoolIsChosenAndNoneWithRoomIsResourceExhausted() {
    List<IscsiPool> pools =
        List.of(
            pool("small", "True", 100L << 20),
            pool("big", "True", 900L << 20),
            pool("down", "False", 5L << 30));
    VolumeRequest anyPool = VolumeRequest.of(request("v").build());
    VolumeRequest small =
        VolumeRequest.of(
            request("v")
                .setCapacityRange(range(64L << 20, 0))
                .putParameters("pool", "small")
                .build());

    assertThat(
            PoolChoice.choose(
                    pools,
                    VolumeRequest.of(request("v").setCapacityRange(range(64L << 20, 0)).build()))
                .getMetadata()
                .getName())
        .isEqualTo("big");
    assertThat(PoolChoice.choose(pools, small).getMetadata().getName()).isEqualTo("small");
    assertThat(code(() -> PoolChoice.choose(pools, anyPool)))
        .as("1 GiB fits no Ready pool")
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(
            code(
                () ->
                    PoolChoice.choose(
                        pools,
                        VolumeRequest.of(request("v").putParameters("pool", "none").build()))))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void aDiskPoolTakesAVolumeOnlyUpToItsLargestFreeDiskAndGetCapacitySaysSo() {
    // 30 GiB free in all, but on three 10 GiB disks: a 12 GiB volume fits none of them.
    IscsiPool disks = diskPool("disks", 30L << 30, 10L << 30);
    IscsiPool files = pool("files", "True", 20L << 30);
    VolumeRequest twelve =
        VolumeRequest.of(request("v").setCapacityRange(range(12L << 30, 0)).build());

    assertThat(PoolChoice.choose(List.of(disks, files), twelve).getMetadata().getName())
        .as("the roomiest pool that can make the volume, not the roomiest pool")
        .isEqualTo("files");
    assertThat(code(() -> PoolChoice.choose(List.of(disks), twelve)))
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(PoolChoice.capacity(List.of(disks), null, java.util.Map.of()))
        .isEqualTo(new PoolChoice.Capacity(30L << 30, 10L << 30));
    assertThat(PoolChoice.capacity(List.of(disks, files), null, java.util.Map.of()))
        .isEqualTo(new PoolChoice.Capacity(30L << 30, 20L << 30));
  }

  private static IscsiPool diskPool(String name, long free, long largestDisk) {
    return Serialization.unmarshal(
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiPool
        metadata: {name: %s}
        spec: {node: worker-1, disks: {}}
        status:
          conditions: [{type: Ready, status: "True", reason: Measured, message: m}]
          freeBytes: %d
          maxVolumeBytes: %d
        """
            .formatted(name, free, largestDisk),
        IscsiPool.class);
  }

  private static CapacityRange range(long required, long limit) {
    return CapacityRange.newBuilder().setRequiredBytes(required).setLimitBytes(limit).build();
  }

  private static IscsiPool pool(String name, String ready, long free) {
    return Serialization.unmarshal(
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiPool
        metadata: {name: %s}
        spec: {node: worker-1, directory: {path: /var/lib/lunar/pools/%s}}
        status:
          conditions: [{type: Ready, status: "%s", reason: Measured, message: m}]
          freeBytes: %d
        """
            .formatted(name, name, ready, free),
        IscsiPool.class);
  }
}
