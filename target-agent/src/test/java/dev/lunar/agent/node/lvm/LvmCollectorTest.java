package dev.lunar.agent.node.lvm;

import static dev.lunar.agent.node.lvm.LvmSpecs.GROUP;
import static dev.lunar.agent.node.lvm.LvmSpecs.MIB;
import static dev.lunar.agent.node.lvm.LvmSpecs.THIN_LV;
import static dev.lunar.agent.node.lvm.LvmSpecs.UNWIPED_LV;
import static dev.lunar.agent.node.lvm.LvmSpecs.device;
import static dev.lunar.agent.node.lvm.LvmSpecs.spec;
import static dev.lunar.agent.node.lvm.LvmSpecs.thinPool;
import static dev.lunar.agent.node.lvm.LvmSpecs.volume;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Removing the logical volumes no LUN names any more: Lunar's own, closed ones, nothing else. */
class LvmCollectorTest {

  private final RecordedLvm tools = new RecordedLvm();

  /** The recording, with every volume reported closed, as LVM says of unused ones. */
  private RecordedLvm allClosed() {
    return tools.answer(
        "lvs",
        RecordedLvm.ok(
            RecordedLvm.fixture("lvs.json")
                .replace("\"lv_device_open\":\"-1\"", "\"lv_device_open\":\"0\"")));
  }

  private void collect(LvmCollector collector, NodePool pool) {
    collector.collect(
        spec(List.of(pool), volume(1, device(THIN_LV), 16 * MIB, null, pool.name())),
        TargetSetSpec.empty());
  }

  @Test
  void onlyLunarsTaggedClosedVolumesThatNoLunNamesAreRemoved() {
    allClosed();

    collect(new LvmCollector(new Lvm(tools), d -> false), thinPool());

    // "home" and the thin pool carry no Lunar tag; the thin volume is still named.
    assertThat(tools.callsOf("lvremove"))
        .containsExactly(List.of("--yes", GROUP + "/" + UNWIPED_LV));
  }

  @Test
  void aVolumeLvmReportsOpenOrCannotTellAboutStays() {
    collect(new LvmCollector(new Lvm(tools), d -> false), thinPool());
    tools.volumesWith("\"lv_device_open\":\"-1\"", "\"lv_device_open\":\"1\"");
    collect(new LvmCollector(new Lvm(tools), d -> false), thinPool());

    assertThat(tools.callsOf("lvremove")).isEmpty();
  }

  @Test
  void aVolumeBeingZeroedOrServedStays() {
    allClosed();
    LvmCollector zeroing = new LvmCollector(new Lvm(tools), device(UNWIPED_LV)::equals);
    collect(zeroing, thinPool());
    assertThat(tools.callsOf("lvremove")).isEmpty();
    TargetSetSpec serving =
        new TargetSetSpec(
            List.of(
                new TargetSpec(
                    1,
                    "iqn.2026-12.dev.lunar:lvm",
                    List.of(LunSpec.tgtDefault(1, 2, device(UNWIPED_LV))),
                    List.of(),
                    List.of(),
                    List.of(),
                    null,
                    Map.of())),
            List.of());
    new LvmCollector(new Lvm(tools), d -> false).collect(spec(List.of(thinPool())), serving);

    // The spec names no LUN now: the thin volume goes, the one the engine still serves stays.
    assertThat(tools.callsOf("lvremove")).containsExactly(List.of("--yes", GROUP + "/" + THIN_LV));
  }

  @Test
  void nothingIsAskedOrRemovedWithoutAPoolListOrOutsideTheListedGroups() {
    allClosed();
    LvmCollector collector = new LvmCollector(new Lvm(tools), d -> false);

    collector.collect(spec(null), TargetSetSpec.empty());
    collector.collect(
        spec(List.of(NodePool.directory("files", "/var/lib/lunar/pools/files", null))),
        TargetSetSpec.empty());
    collector.collect(
        spec(List.of(NodePool.volumeGroup("gone", "vg9", null))), TargetSetSpec.empty());

    assertThat(tools.calls).extracting(List::getFirst).containsExactly("vgs");
  }
}
