package dev.lunar.agent.node;

import static dev.lunar.agent.node.LvmSpecs.MIB;
import static dev.lunar.agent.node.LvmSpecs.linearPool;
import static dev.lunar.agent.node.LvmSpecs.thinPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.IscsiNodeStatus.NodePoolStatus;
import dev.lunar.csi.node.CommandRunner.Result;
import org.junit.jupiter.api.Test;

/** A volume group pool's space from LVM's recorded reports (a 60 MiB group, 16 MiB free). */
class LvmMeasurementTest {

  private final RecordedLvm tools = new RecordedLvm();
  private final LvmMeasurement measurement = new LvmMeasurement(new Lvm(tools));

  @Test
  void aGroupWithoutThinPoolOffersItsSizeBoundedByItsFreeExtents() {
    NodePoolStatus roomy = measurement.measure(linearPool(), 40 * MIB, 2);
    NodePoolStatus tight = measurement.measure(linearPool(), 50 * MIB, 3);

    assertThat(roomy)
        .isEqualTo(new NodePoolStatus("bulk", true, null, null, 60 * MIB, 40 * MIB, 16 * MIB, 2));
    assertThat(tight.freeBytes()).isEqualTo(10 * MIB);
  }

  @Test
  void aThinPoolOffersItsSizeBoundedByWhatItCanStillStore() {
    NodePoolStatus unknownFill = measurement.measure(thinPool(), 8 * MIB, 1);
    tools.volumesWith(
        "\"zero\":\"1\", \"data_percent\":\"\"}\n",
        "\"zero\":\"1\", \"data_percent\":\"87.50\"}\n");
    NodePoolStatus nearlyFull = measurement.measure(thinPool(), 8 * MIB, 1);

    assertThat(unknownFill)
        .isEqualTo(new NodePoolStatus("fast", true, null, null, 24 * MIB, 8 * MIB, 16 * MIB, 1));
    assertThat(nearlyFull.capacityBytes()).isEqualTo(24 * MIB);
    assertThat(nearlyFull.freeBytes()).isEqualTo(3 * MIB);
  }

  @Test
  void aMissingGroupAMissingThinPoolAndANonZeroingOneAreNotReady() {
    NodePoolStatus noGroup = measurement.measure(NodePool.volumeGroup("gone", "vg9", null), 0, 0);
    NodePoolStatus noThinPool =
        measurement.measure(NodePool.volumeGroup("odd", "lunarrec", "home"), MIB, 1);
    tools.answer("lvs", RecordedLvm.ok(RecordedLvm.fixture("lvs-nozero.json")));
    NodePoolStatus notZeroing = measurement.measure(thinPool(), 0, 0);

    assertThat(noGroup)
        .isEqualTo(
            new NodePoolStatus(
                "gone",
                false,
                Refusal.VOLUME_GROUP_MISSING,
                "volume group vg9 does not exist on this node",
                null,
                0L,
                null,
                0));
    assertThat(noThinPool.reason()).isEqualTo(Refusal.THIN_POOL_MISSING);
    assertThat(noThinPool.allocatedBytes()).isEqualTo(MIB);
    assertThat(notZeroing.reason()).isEqualTo(Refusal.THIN_POOL_NOT_ZEROING);
    assertThat(notZeroing.capacityBytes()).isNull();
  }

  @Test
  void lvmThatCannotAnswerLeavesThePoolUnreadable() {
    tools.answer("vgs", new Result(5, "", "  /run/lock/lvm/V_lunarrec: open failed: Read-only"));

    NodePoolStatus status = measurement.measure(linearPool(), 0, 0);

    assertThat(status.ready()).isFalse();
    assertThat(status.reason()).isEqualTo(LvmMeasurement.UNREADABLE);
    assertThat(status.message()).contains("vgs failed (exit 5)", "Read-only");
  }
}
