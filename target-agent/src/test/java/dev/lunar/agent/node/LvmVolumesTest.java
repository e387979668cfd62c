package dev.lunar.agent.node;

import static dev.lunar.agent.node.LvmSpecs.GROUP;
import static dev.lunar.agent.node.LvmSpecs.MIB;
import static dev.lunar.agent.node.LvmSpecs.UNWIPED_LV;
import static dev.lunar.agent.node.LvmSpecs.device;
import static dev.lunar.agent.node.LvmSpecs.linearPool;
import static dev.lunar.agent.node.LvmSpecs.thinPool;
import static dev.lunar.agent.node.LvmSpecs.volume;
import static dev.lunar.agent.node.PoolSpecs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.csi.node.CommandRunner.Result;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Making the logical volumes of volume group pools, against LVM's recorded answers. */
class LvmVolumesTest {

  private final RecordedLvm tools = new RecordedLvm();
  private final List<Runnable> wipeQueue = new ArrayList<>();
  private final List<String> zeroed = new ArrayList<>();
  private int wipesEnded;

  private LvmVolumes volumes(Zeroer zeroer) {
    return new LvmVolumes(new Lvm(tools), zeroer, wipeQueue::add, () -> wipesEnded++);
  }

  private final LvmVolumes volumes =
      volumes((device, bytes, progress) -> zeroed.add(device + " " + bytes));

  @Test
  void aThinVolumeIsAThinLogicalVolumeOfTheThinPoolTaggedAsLunars() {
    Map<String, Refusal> refused =
        volumes.prepare(
            spec(List.of(thinPool()), volume(1, device("lunar-a"), 8 * MIB, null, "fast")));

    assertThat(refused).isEmpty();
    assertThat(tools.callsOf("lvcreate"))
        .containsExactly(
            List.of(
                "--type",
                "thin",
                "--virtualsize",
                "8388608b",
                "--thinpool",
                "tpool",
                "--name",
                "lunar-a",
                "--addtag",
                "lunar.dev/volume",
                GROUP));
    assertThat(tools.calls.getFirst().subList(1, 3)).containsExactly("--config", Lvm.CONFIG);
    assertThat(Lvm.CONFIG).contains("udev_sync=0", "udev_rules=0", "use_lvmetad=0");
    assertThat(wipeQueue).isEmpty();
  }

  @Test
  void aThickVolumeIsALinearVolumeServedOnlyOnceEveryByteIsZeroed() {
    var spec = spec(List.of(thinPool()), volume(1, device("lunar-b"), 6 * MIB, false, "fast"));

    Map<String, Refusal> refused = volumes.prepare(spec);

    assertThat(tools.callsOf("lvcreate"))
        .containsExactly(
            List.of(
                "--type",
                "linear",
                "--size",
                "6291456b",
                "--name",
                "lunar-b",
                "--addtag",
                "lunar.dev/volume",
                "--addtag",
                "lunar.dev/unwiped",
                "--wipesignatures",
                "n",
                "--zero",
                "n",
                GROUP));
    assertThat(refused.get(device("lunar-b")).reason()).isEqualTo(Refusal.VOLUME_WIPING);
    assertThat(volumes.wiping(device("lunar-b"))).isTrue();
    assertThat(tools.callsOf("lvchange")).isEmpty();

    wipeQueue.removeFirst().run();

    // Two 4 MiB extents: every byte LVM gave the volume is zeroed, not just the 6 MiB asked.
    assertThat(zeroed).containsExactly(device("lunar-b") + " " + 8 * MIB);
    assertThat(tools.callsOf("lvchange"))
        .containsExactly(List.of("--deltag", "lunar.dev/unwiped", GROUP + "/lunar-b"));
    assertThat(wipesEnded).isEqualTo(1);
    assertThat(volumes.wiping(device("lunar-b"))).isFalse();
  }

  @Test
  void aVolumeARestartFindsHalfWipedIsZeroedAgainBeforeItIsServed() {
    Map<String, Refusal> refused =
        volumes.prepare(
            spec(List.of(linearPool()), volume(1, device(UNWIPED_LV), 8 * MIB, false, "bulk")));

    assertThat(refused.get(device(UNWIPED_LV)).reason()).isEqualTo(Refusal.VOLUME_WIPING);
    assertThat(tools.callsOf("lvcreate")).isEmpty();
    wipeQueue.removeFirst().run();
    assertThat(zeroed).containsExactly(device(UNWIPED_LV) + " " + 8 * MIB);
  }

  @Test
  void aFailedZeroingKeepsTheVolumeRefusedAndItsTag() {
    LvmVolumes failing =
        volumes(
            (device, bytes, progress) -> {
              throw new IOException("write failed: Input/output error");
            });
    var spec = spec(List.of(linearPool()), volume(1, device(UNWIPED_LV), 8 * MIB, false, "bulk"));
    failing.prepare(spec);
    wipeQueue.removeFirst().run();

    Refusal refusal = failing.prepare(spec).get(device(UNWIPED_LV));

    assertThat(refusal.reason()).isEqualTo(Refusal.POOL_VOLUME_FAILED);
    assertThat(refusal.detail()).contains("Input/output error");
    assertThat(tools.callsOf("lvchange")).isEmpty();
    assertThat(wipeQueue).isEmpty();
  }

  @Test
  void aThinRequestOfAGroupWithoutThinPoolGetsAZeroedLinearVolume() {
    Map<String, Refusal> refused =
        volumes.prepare(
            spec(List.of(linearPool()), volume(1, device("lunar-c"), 4 * MIB, null, "bulk")));

    assertThat(tools.callsOf("lvcreate").getFirst()).contains("linear", "lunar.dev/unwiped");
    assertThat(refused.get(device("lunar-c")).reason()).isEqualTo(Refusal.VOLUME_WIPING);
  }

  @Test
  void anExistingZeroedVolumeIsServedAndActivatedWhenInactive() {
    tools.volumesWith("\"lv_attr\":\"Vwi-XXtz--\"", "\"lv_attr\":\"Vwi---tz--\"");

    Map<String, Refusal> refused =
        volumes.prepare(
            spec(List.of(thinPool()), volume(1, device(LvmSpecs.THIN_LV), 16 * MIB, null, "fast")));

    assertThat(refused).isEmpty();
    assertThat(tools.callsOf("lvcreate")).isEmpty();
    assertThat(tools.callsOf("lvchange"))
        .containsExactly(List.of("--activate", "y", GROUP + "/" + LvmSpecs.THIN_LV));
  }

  @Test
  void aMissingGroupOrThinPoolAndAPathTheOperatorCouldNotHaveNamedAreRefused() {
    Map<String, Refusal> refused =
        volumes.prepare(
            spec(
                List.of(
                    NodePool.volumeGroup("gone", "vg9", null),
                    NodePool.volumeGroup("odd", GROUP, "nosuch"),
                    linearPool()),
                volume(1, "/dev/vg9/lunar-a", MIB, null, "gone"),
                volume(2, device("lunar-b"), MIB, null, "odd"),
                volume(3, device("home"), MIB, false, "bulk"),
                volume(4, "/dev/other/lunar-d", MIB, null, "bulk")));

    assertThat(refused.get("/dev/vg9/lunar-a"))
        .isEqualTo(
            new Refusal(
                Refusal.VOLUME_GROUP_MISSING, "volume group vg9 does not exist on this node"));
    assertThat(refused.get(device("lunar-b")))
        .isEqualTo(
            new Refusal(
                Refusal.THIN_POOL_MISSING, "volume group lunarrec has no thin pool nosuch"));
    assertThat(refused.get(device("home")).reason()).isEqualTo(Refusal.POOL_VOLUME_FAILED);
    assertThat(refused.get("/dev/other/lunar-d").detail())
        .isEqualTo(
            "/dev/other/lunar-d is not a Lunar logical volume path of volume group lunarrec");
    assertThat(tools.callsOf("lvcreate")).isEmpty();
  }

  @Test
  void aLogicalVolumeOfTheRightNameWithoutLunarsTagIsLeftAlone() {
    tools.volumesWith(
        "\"lv_name\":\"home\", \"lv_path\":\"/dev/lunarrec/home\"",
        "\"lv_name\":\"lunar-home\", \"lv_path\":\"/dev/lunarrec/lunar-home\"");

    Refusal refusal =
        volumes
            .prepare(
                spec(List.of(linearPool()), volume(1, device("lunar-home"), MIB, false, "bulk")))
            .get(device("lunar-home"));

    assertThat(refusal.reason()).isEqualTo(Refusal.POOL_VOLUME_FAILED);
    assertThat(refusal.detail()).contains("without the tag lunar.dev/volume");
    assertThat(tools.calls).extracting(List::getFirst).containsOnly("vgs", "lvs");
    assertThat(wipeQueue).isEmpty();
  }

  @Test
  void aThinPoolThatDoesNotZeroNewChunksTakesNoThinVolume() {
    tools.answer("lvs", RecordedLvm.ok(RecordedLvm.fixture("lvs-nozero.json")));

    Refusal refusal =
        volumes
            .prepare(spec(List.of(thinPool()), volume(1, device("lunar-a"), MIB, null, "fast")))
            .get(device("lunar-a"));

    assertThat(refusal.reason()).isEqualTo(Refusal.THIN_POOL_NOT_ZEROING);
    assertThat(refusal.detail()).contains("lvchange --zero y lunarrec/tpool");
    assertThat(tools.callsOf("lvcreate")).isEmpty();
  }

  @Test
  void aVolumeThatDoesNotFitIsRefusedWithTheFigures() {
    Refusal thick =
        volumes
            .prepare(
                spec(List.of(linearPool()), volume(1, device("lunar-a"), 20 * MIB, false, "bulk")))
            .get(device("lunar-a"));
    tools.volumesWith(
        "\"segtype\":\"thin-pool\", \"pool_lv\":\"\", \"zero\":\"1\", \"data_percent\":\"\"",
        "\"segtype\":\"thin-pool\", \"pool_lv\":\"\", \"zero\":\"1\", \"data_percent\":\"75.00\"");
    Refusal thin =
        volumes
            .prepare(spec(List.of(thinPool()), volume(1, device("lunar-t"), 8 * MIB, null, "fast")))
            .get(device("lunar-t"));

    assertThat(thick)
        .isEqualTo(
            new Refusal(
                Refusal.NO_SPACE,
                "thick volume /dev/lunarrec/lunar-a needs 20971520 bytes, volume group lunarrec"
                    + " has 16777216 free"));
    assertThat(thin)
        .isEqualTo(
            new Refusal(
                Refusal.NO_SPACE,
                "thin volume /dev/lunarrec/lunar-t needs 8388608 bytes, thin pool lunarrec/tpool"
                    + " has 6291456 free"));
    assertThat(tools.callsOf("lvcreate")).isEmpty();
  }

  @Test
  void aFailingLvcreateIsReportedWithLvmsWords() {
    tools.answer(
        "lvcreate", new Result(5, "", "  Volume group \"lunarrec\" has insufficient free space"));

    Refusal refusal =
        volumes
            .prepare(spec(List.of(thinPool()), volume(1, device("lunar-a"), MIB, null, "fast")))
            .get(device("lunar-a"));

    assertThat(refusal.reason()).isEqualTo(Refusal.POOL_VOLUME_FAILED);
    assertThat(refusal.detail())
        .isEqualTo(
            "cannot make /dev/lunarrec/lunar-a: lvcreate failed (exit 5): Volume group"
                + " \"lunarrec\" has insufficient free space");
  }
}
