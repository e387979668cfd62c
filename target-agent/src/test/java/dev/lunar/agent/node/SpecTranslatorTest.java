package dev.lunar.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.agent.node.inventory.BlockDevice;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.CredentialKeys;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SpecTranslatorTest {

  private static final String IQN = "iqn.2026-11.dev.lunar:t1";

  private static BlockDevice disk(String name, String reason) {
    return new BlockDevice(
        name,
        "/dev/" + name,
        List.of(),
        1 << 30,
        512,
        4096,
        false,
        null,
        null,
        null,
        false,
        false,
        null,
        false,
        List.of(),
        reason == null,
        reason);
  }

  private static NodeLun file(int lun, String path) {
    return new NodeLun(
        lun, "ns/lun", null, path, 1L << 20, true, false, 512, null, null, null, null, null);
  }

  private static NodeLun device(int lun, String path, Boolean force) {
    return new NodeLun(
        lun, "ns/lun", path, null, null, null, null, null, "SER1", null, force, null, null);
  }

  private static NodeTarget target(List<NodeLun> luns, CredentialKeys chap, CredentialKeys mutual) {
    return new NodeTarget(
        1,
        IQN,
        "ns/t",
        3260,
        luns,
        List.of("iqn.2026-11.client:a"),
        List.of("10.0.0.0/8"),
        chap,
        mutual,
        Map.of("MaxBurstLength", "262144"));
  }

  @Test
  void translatesTargetsLunsAndAcls() {
    IscsiNodeSpec spec =
        new IscsiNodeSpec(
            null, List.of(target(List.of(file(1, "/var/lib/a.img")), null, null)), null);

    DesiredSet set = SpecTranslator.translate(spec, Map.of(), path -> null);

    TargetSpec t = set.spec().targets().getFirst();
    assertThat(t.iqn()).isEqualTo(IQN);
    assertThat(t.initiatorNames()).containsExactly("iqn.2026-11.client:a");
    assertThat(t.initiatorAddresses()).containsExactly("10.0.0.0/8");
    assertThat(t.incomingUsers()).isEmpty();
    assertThat(t.params()).containsEntry("MaxBurstLength", "262144");
    assertThat(t.luns().getFirst().backingStore()).isEqualTo("/var/lib/a.img");
    assertThat(t.luns().getFirst().thin()).isTrue();
    assertThat(t.luns().getFirst().sizeBytes()).isEqualTo(1L << 20);
    assertThat(set.refused()).isEmpty();
  }

  @Test
  void aPoolDiskSkipsTheSafetyCheckAndWaitsOnlyForItsZeroing() {
    String byId = "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4";
    NodeLun pooled =
        new NodeLun(1, "ns/a", byId, null, null, null, false, 512, null, null, null, "disks", "u1");
    IscsiNodeSpec spec =
        new IscsiNodeSpec(
            null, List.of(target(List.of(pooled), null, null)), List.of(NodePool.disks("disks")));
    // The tenant's filesystem makes the inventory call the disk unsafe: that must not matter.
    Function<String, BlockDevice> inventory = path -> disk("sdb", "holds a ext4 signature");

    DesiredSet served =
        SpecTranslator.translate(spec, Map.of(), inventory, TargetSetSpec.empty(), Map.of());
    DesiredSet zeroing =
        SpecTranslator.translate(
            spec,
            Map.of(),
            inventory,
            TargetSetSpec.empty(),
            Map.of(byId, new Refusal("Zeroing", byId + " is being zeroed")));

    assertThat(served.refused()).isEmpty();
    assertThat(served.spec().targets().getFirst().luns().getFirst().backingStore()).isEqualTo(byId);
    assertThat(served.spec().targets().getFirst().luns().getFirst().thin()).isFalse();
    assertThat(zeroing.refused().get("1/1").reason()).isEqualTo("Zeroing");
    assertThat(zeroing.spec().targets().getFirst().luns()).isEmpty();
  }

  @Test
  void chapAndMutualChapComeFromTheCredentialSecret() {
    IscsiNodeSpec spec =
        new IscsiNodeSpec(
            null,
            List.of(
                target(
                    List.of(),
                    new CredentialKeys("t1.user", "t1.password"),
                    new CredentialKeys("t1.target-user", "t1.target-password"))),
            null);
    Map<String, String> secret =
        Map.of(
            "t1.user",
            "alice",
            "t1.password",
            "alice-secret",
            "t1.target-user",
            "tgt",
            "t1.target-password",
            "tgt-secret");

    DesiredSet set = SpecTranslator.translate(spec, secret, path -> null);

    TargetSpec t = set.spec().targets().getFirst();
    assertThat(t.incomingUsers()).containsExactly("alice");
    assertThat(t.outgoingUser()).isEqualTo("tgt");
    assertThat(set.spec().accounts())
        .extracting(a -> a.user() + "=" + a.password())
        .containsExactlyInAnyOrder("alice=alice-secret", "tgt=tgt-secret");
  }

  @Test
  void aMissingCredentialKeepsChapRequiredWithAnUnknownSecret() {
    IscsiNodeSpec spec =
        new IscsiNodeSpec(
            null,
            List.of(target(List.of(), new CredentialKeys("gone.user", "gone.pw"), null)),
            null);

    DesiredSet set = SpecTranslator.translate(spec, Map.of(), path -> null);

    TargetSpec t = set.spec().targets().getFirst();
    assertThat(t.incomingUsers()).hasSize(1);
    assertThat(set.spec().accounts()).hasSize(1);
    assertThat(set.spec().accounts().getFirst().user()).isEqualTo(t.incomingUsers().getFirst());
  }

  @Test
  void anUnsafeDeviceIsRefusedWithDeviceInUseUnlessForced() {
    IscsiNodeSpec spec =
        new IscsiNodeSpec(
            null,
            List.of(
                target(
                    List.of(device(1, "/dev/sdb", null), device(2, "/dev/sdc", true)), null, null)),
            null);

    DesiredSet set =
        SpecTranslator.translate(
            spec, Map.of(), path -> disk(path.substring(5), "mounted or used as swap"));

    assertThat(set.refused()).containsOnlyKeys("1/1");
    assertThat(set.refused().get("1/1").message())
        .isEqualTo("DeviceInUse: /dev/sdb mounted or used as swap");
    assertThat(set.refused().get("1/1").reason()).isEqualTo("DeviceInUse");
    assertThat(set.spec().targets().getFirst().luns())
        .extracting(l -> l.lun() + ":" + l.backingStore())
        .containsExactly("2:/dev/sdc");
  }

  @Test
  void aSafeDeviceIsExportedAndAnUnknownPathIsRefused() {
    IscsiNodeSpec spec =
        new IscsiNodeSpec(
            null,
            List.of(
                target(
                    List.of(device(1, "/dev/sdb", null), device(2, "/dev/nope", null)),
                    null,
                    null)),
            null);

    DesiredSet set =
        SpecTranslator.translate(
            spec, Map.of(), path -> path.equals("/dev/sdb") ? disk("sdb", null) : null);

    assertThat(set.spec().targets().getFirst().luns()).extracting(l -> l.lun()).containsExactly(1);
    assertThat(set.refused().get("1/2").message()).startsWith("DeviceNotFound");
    assertThat(set.refused().get("1/2").reason()).isEqualTo("DeviceNotFound");
  }

  @Test
  void aServedDeviceStaysWhenItsInitiatorsUseMakesItLookInUse() {
    IscsiNodeSpec spec =
        new IscsiNodeSpec(
            null,
            List.of(
                target(
                    List.of(device(1, "/dev/sdb", null), device(2, "/dev/sdc", null)), null, null)),
            null);
    Function<String, BlockDevice> bothInUse = path -> disk(path.substring(5), "holds a filesystem");
    TargetSetSpec servingSdbAsLun1 =
        SpecTranslator.translate(
                new IscsiNodeSpec(
                    null, List.of(target(List.of(device(1, "/dev/sdb", null)), null, null)), null),
                Map.of(),
                path -> disk("sdb", null))
            .spec();

    DesiredSet set = SpecTranslator.translate(spec, Map.of(), bothInUse, servingSdbAsLun1);

    assertThat(set.spec().targets().getFirst().luns())
        .extracting(l -> l.lun() + ":" + l.backingStore())
        .containsExactly("1:/dev/sdb");
    assertThat(set.refused()).containsOnlyKeys("1/2");
  }

  /**
   * A pool volume reaches the engine as an ordinary file LUN, thin unless the spec says false (so
   * UNMAP never punches holes in space a thick volume reserved); one whose file could not be made
   * is refused with the reason its creation gave.
   */
  @Test
  void poolVolumesAreFileLunsThinByDefaultOrRefusedWhenTheirFileFailed() {
    IscsiNodeSpec spec =
        PoolSpecs.spec(
            List.of(),
            PoolSpecs.volume(1, Path.of("/p/thin.lunar-volume"), 1L << 20, null, "p"),
            PoolSpecs.volume(2, Path.of("/p/thick.lunar-volume"), 1L << 20, false, "p"),
            PoolSpecs.volume(3, Path.of("/p/full.lunar-volume"), 1L << 30, false, "p"),
            PoolSpecs.volume(4, Path.of("/var/lib/plain.img"), 1L << 20, null, null));
    Refusal noSpace = new Refusal(Refusal.NO_SPACE, "needs 1073741824 bytes, has 4096 free");

    DesiredSet set =
        SpecTranslator.translate(
            spec,
            Map.of(),
            path -> null,
            TargetSetSpec.empty(),
            Map.of("/p/full.lunar-volume", noSpace));

    assertThat(set.spec().targets().getFirst().luns())
        .extracting(l -> l.lun() + ":" + l.backingStore() + ":" + l.sizeBytes() + ":" + l.thin())
        .containsExactly(
            "1:/p/thin.lunar-volume:1048576:true",
            "2:/p/thick.lunar-volume:1048576:false",
            "4:/var/lib/plain.img:1048576:false");
    assertThat(set.refused()).containsExactly(Map.entry("1/3", noSpace));
  }

  /**
   * A logical volume is a device the agent made itself: no host-disk check (the inventory would not
   * even know it, and path -> null here refuses every other device), served thick since UNMAP on a
   * device writes zeros, and refused with the reason its making gave.
   */
  @Test
  void logicalVolumesAreDeviceLunsWithoutDiskChecksOrRefusedWithTheirReason() {
    IscsiNodeSpec spec =
        PoolSpecs.spec(
            List.of(NodePool.volumeGroup("lvm", "vg0", null)),
            new NodeLun(
                1,
                "ns/a",
                "/dev/vg0/lunar-a",
                null,
                1L << 20,
                null,
                false,
                512,
                null,
                null,
                null,
                "lvm",
                null),
            new NodeLun(
                2,
                "ns/b",
                "/dev/vg0/lunar-b",
                null,
                1L << 20,
                false,
                false,
                512,
                null,
                null,
                null,
                "lvm",
                null),
            new NodeLun(
                3, "ns/c", "/dev/sdz", null, null, null, false, 512, null, null, null, null, null));
    Refusal wiping = new Refusal(Refusal.VOLUME_WIPING, "/dev/vg0/lunar-b: zeroing");

    DesiredSet set =
        SpecTranslator.translate(
            spec,
            Map.of(),
            path -> null,
            TargetSetSpec.empty(),
            Map.of("/dev/vg0/lunar-b", wiping));

    assertThat(set.spec().targets().getFirst().luns())
        .extracting(l -> l.lun() + ":" + l.backingStore() + ":" + l.thin())
        .containsExactly("1:/dev/vg0/lunar-a:false");
    assertThat(set.refused().get("1/2")).isEqualTo(wiping);
    assertThat(set.refused().get("1/3").reason()).isEqualTo(Refusal.DEVICE_NOT_FOUND);
  }

  /**
   * A pool device is served unchecked only for a volume group or disk pool the spec lists: a pool
   * the node does not know could be anything, so its device is refused rather than exported.
   */
  @Test
  void aPoolDeviceOfAPoolTheSpecDoesNotListIsRefused() {
    NodeLun orphan =
        new NodeLun(
            1, "ns/a", "/dev/sdb", null, null, null, false, 512, null, null, null, "gone", "u1");
    IscsiNodeSpec spec =
        new IscsiNodeSpec(
            null,
            List.of(target(List.of(orphan), null, null)),
            List.of(PoolSpecs.pool("gone", Path.of("/p"), null)));

    DesiredSet set =
        SpecTranslator.translate(spec, Map.of(), path -> null, TargetSetSpec.empty(), Map.of());

    assertThat(set.spec().targets().getFirst().luns()).isEmpty();
    assertThat(set.refused().get("1/1").reason()).isEqualTo(Refusal.POOL_VOLUME_FAILED);
    assertThat(set.refused().get("1/1").detail()).contains("no volume group or disk pool");
  }
}
