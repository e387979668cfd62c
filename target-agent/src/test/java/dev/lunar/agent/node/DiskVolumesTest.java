package dev.lunar.agent.node;

import static dev.lunar.agent.node.PoolSpecs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.node.inventory.BlockDevice;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk volumes through a zeroing seam: a disk serves a volume only once zeroed for it, the record
 * survives a restart and a half-done wipe does not, a disk still served or used by the host is
 * never zeroed, and a disk whose volume left the spec is wiped and forgotten.
 */
class DiskVolumesTest {

  private static final String DISK = "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4";
  private static final long SIZE = 8L << 30;

  @TempDir Path state;

  /** A zeroer that records each call and holds it until released. */
  private final List<String> zeroed = new CopyOnWriteArrayList<>();

  private final Semaphore started = new Semaphore(0);
  private final Semaphore release = new Semaphore(0);
  private final Semaphore finished = new Semaphore(0);
  private final Map<String, BlockDevice> inventory = new HashMap<>();
  private IOException failWith;
  private DiskVolumes volumes;

  private final Zeroer seam =
      (device, size, progress) -> {
        zeroed.add(device + "@" + size);
        progress.accept(size / 4);
        started.release();
        release.acquire();
        if (failWith != null) {
          throw failWith;
        }
        progress.accept(size);
      };

  private DiskVolumes volumes() {
    volumes = new DiskVolumes(state, seam, inventory::get, finished::release);
    return volumes;
  }

  @AfterEach
  void stop() {
    if (volumes != null) {
      volumes.close();
    }
  }

  private static BlockDevice disk(String reason, boolean mounted) {
    return new BlockDevice(
        "sdb",
        "/dev/sdb",
        List.of(DISK),
        SIZE,
        512,
        4096,
        false,
        null,
        null,
        null,
        mounted,
        false,
        reason == null ? null : "ext4",
        false,
        List.of(),
        reason == null,
        reason);
  }

  private static NodeLun lun(String volume) {
    return new NodeLun(
        1, "apps/a", DISK, null, null, null, false, 512, null, null, null, "disks", volume);
  }

  private static final List<NodePool> POOLS = List.of(NodePool.disks("disks"));

  private void awaitStart() throws InterruptedException {
    assertThat(started.tryAcquire(10, TimeUnit.SECONDS)).as("a wipe started").isTrue();
  }

  private void awaitWipe() throws InterruptedException {
    assertThat(finished.tryAcquire(10, TimeUnit.SECONDS)).as("the wipe ended").isTrue();
  }

  @Test
  void aNewVolumeIsRefusedWhileItsDiskIsZeroedAndServedOnceTheZeroingIsRecorded() throws Exception {
    inventory.put(DISK, disk(null, false));
    IscsiNodeSpec spec = spec(POOLS, lun("uid-1"));
    DiskVolumes volumes = volumes();

    Refusal before = volumes.refusals(spec).get(DISK);
    volumes.afterApply(spec, TargetSetSpec.empty());
    awaitStart();
    Refusal during = volumes.refusals(spec).get(DISK);
    release.release();
    awaitWipe();

    assertThat(before.reason()).isEqualTo(DiskVolumes.ZEROING);
    assertThat(during.reason()).isEqualTo(DiskVolumes.ZEROING);
    assertThat(during.detail())
        .isEqualTo(
            DISK
                + " is being zeroed before it first serves this volume: 25% of "
                + SIZE
                + " bytes");
    assertThat(zeroed).containsExactly(DISK + "@" + SIZE);
    assertThat(volumes.refusals(spec)).isEmpty();
    // Recorded durably: a restarted agent serves it at once, without zeroing again, even though
    // the tenant's filesystem now makes the inventory call the disk unsafe.
    inventory.put(DISK, disk("holds a ext4 signature", false));
    DiskVolumes restarted = new DiskVolumes(state, seam, inventory::get, () -> {});
    restarted.afterApply(spec, PoolSpecs.serving(DISK));
    assertThat(restarted.refusals(spec)).isEmpty();
    restarted.close();
    assertThat(zeroed).hasSize(1);
  }

  @Test
  void aWipeCutShortIsNeverTakenForDoneAndStartsOverAfterARestart() throws Exception {
    inventory.put(DISK, disk(null, false));
    IscsiNodeSpec spec = spec(POOLS, lun("uid-1"));
    volumes().afterApply(spec, TargetSetSpec.empty());
    awaitStart();
    volumes.close(); // the agent stops mid-wipe

    DiskVolumes restarted = volumes();
    assertThat(restarted.refusals(spec).get(DISK).reason()).isEqualTo(DiskVolumes.ZEROING);
    restarted.afterApply(spec, TargetSetSpec.empty());
    release.release();
    awaitWipe();

    assertThat(zeroed).hasSize(2);
    assertThat(restarted.refusals(spec)).isEmpty();
  }

  @Test
  void aDiskZeroedForAnEarlierVolumeIsZeroedAgainForTheNextOne() throws Exception {
    inventory.put(DISK, disk(null, false));
    volumes().afterApply(spec(POOLS, lun("uid-1")), TargetSetSpec.empty());
    release.release();
    awaitWipe();

    IscsiNodeSpec next = spec(POOLS, lun("uid-2"));
    assertThat(volumes.refusals(next).get(DISK).reason()).isEqualTo(DiskVolumes.ZEROING);
    // While the engine still serves the earlier volume from the disk, nothing is zeroed.
    volumes.afterApply(next, PoolSpecs.serving(DISK));
    assertThat(zeroed).hasSize(1);
    volumes.afterApply(next, TargetSetSpec.empty());
    release.release();
    awaitWipe();

    assertThat(zeroed).hasSize(2);
    assertThat(volumes.refusals(next)).isEmpty();
  }

  @Test
  void aDiskTheHostUsesIsRefusedAndNeverZeroed() {
    inventory.put(DISK, disk("mounted or used as swap", true));
    IscsiNodeSpec spec = spec(POOLS, lun("uid-1"));

    volumes().afterApply(spec, TargetSetSpec.empty());

    Refusal refusal = volumes.refusals(spec).get(DISK);
    assertThat(refusal.reason()).isEqualTo(Refusal.DEVICE_IN_USE);
    assertThat(refusal.detail()).isEqualTo(DISK + " mounted or used as swap; not zeroed");
    assertThat(zeroed).isEmpty();
  }

  @Test
  void aFailedZeroingIsReportedWithItsCause() throws Exception {
    inventory.put(DISK, disk(null, false));
    IscsiNodeSpec spec = spec(POOLS, lun("uid-1"));
    failWith = new IOException("Input/output error");

    volumes().afterApply(spec, TargetSetSpec.empty());
    release.release();
    awaitWipe();

    Refusal refusal = volumes.refusals(spec).get(DISK);
    assertThat(refusal.reason()).isEqualTo(DiskVolumes.ZEROING_FAILED);
    assertThat(refusal.detail()).isEqualTo("cannot zero " + DISK + ": Input/output error");
  }

  @Test
  void aDiskWhoseVolumeLeftTheSpecIsWipedAndForgottenButOnlyWhileTheSpecListsPools()
      throws Exception {
    inventory.put(DISK, disk(null, false));
    volumes().afterApply(spec(POOLS, lun("uid-1")), TargetSetSpec.empty());
    release.release();
    awaitWipe();
    inventory.put(DISK, disk("holds a ext4 signature", false)); // the tenant's filesystem

    volumes.afterApply(new IscsiNodeSpec(null, List.of(), null), TargetSetSpec.empty());
    assertThat(zeroed).as("no pool list: nothing is wiped").hasSize(1);
    volumes.afterApply(new IscsiNodeSpec(null, List.of(), POOLS), TargetSetSpec.empty());
    release.release();
    awaitWipe();

    assertThat(zeroed).hasSize(2);
    assertThat(new DiskLedger(state).read()).isEmpty();
  }

  @Test
  void withoutAStateDirNoDiskVolumeIsServed() {
    inventory.put(DISK, disk(null, false));
    DiskVolumes none = new DiskVolumes(null, seam, inventory::get, () -> {});
    IscsiNodeSpec spec = spec(POOLS, lun("uid-1"));

    none.afterApply(spec, TargetSetSpec.empty());

    assertThat(none.refusals(spec).get(DISK).reason()).isEqualTo(DiskVolumes.ZEROING_FAILED);
    assertThat(zeroed).isEmpty();
    none.close();
  }

  @Test
  void theHostZeroerZeroesStepByStepReportingEachStep(@TempDir Path dir) throws Exception {
    byte[] junk = junk(3 << 20);
    Path file = java.nio.file.Files.write(dir.resolve("old-disk"), junk);
    List<Long> progress = new CopyOnWriteArrayList<>();

    new Zeroer.HostZeroer(1 << 20).zero(file, junk.length, progress::add);

    byte[] after = java.nio.file.Files.readAllBytes(file);
    assertThat(after).hasSize(junk.length).containsOnly((byte) 0);
    assertThat(progress).containsExactly(1L << 20, 2L << 20, 3L << 20);
  }

  @Test
  void theHostZeroerStopsWhenInterruptedBeforeTheNextStep(@TempDir Path dir) throws Exception {
    byte[] junk = junk(2 << 20);
    Path file = java.nio.file.Files.write(dir.resolve("old-disk"), junk);

    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> new Zeroer.HostZeroer(1 << 20).zero(file, junk.length, done -> {}))
        .isInstanceOf(InterruptedException.class);

    assertThat(java.nio.file.Files.readAllBytes(file)).isEqualTo(junk);
  }

  /** A previous tenant's bytes: none of them zero. */
  private static byte[] junk(int size) {
    byte[] junk = new byte[size];
    java.util.Arrays.fill(junk, (byte) 0x5a);
    return junk;
  }
}
