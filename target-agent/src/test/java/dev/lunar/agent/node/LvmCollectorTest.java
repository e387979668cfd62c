package dev.lunar.agent.node;

import static dev.lunar.agent.node.LvmSpecs.GROUP;
import static dev.lunar.agent.node.LvmSpecs.MIB;
import static dev.lunar.agent.node.LvmSpecs.THIN_LV;
import static dev.lunar.agent.node.LvmSpecs.UNWIPED_LV;
import static dev.lunar.agent.node.LvmSpecs.device;
import static dev.lunar.agent.node.LvmSpecs.thinPool;
import static dev.lunar.agent.node.LvmSpecs.volume;
import static dev.lunar.agent.node.PoolSpecs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import java.util.List;
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
    TargetSetSpec serving = PoolSpecs.serving(device(UNWIPED_LV));
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
