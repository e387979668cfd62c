package dev.lunar.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** lvm2's JSON reports, as recorded from vgs and lvs. */
class LvmReportTest {

  @Test
  void groupsAndVolumesReadAsTheRecordingHasThem() throws IOException {
    List<VolumeGroup> groups = LvmReport.volumeGroups(RecordedLvm.fixture("vgs.json"));
    List<LogicalVolume> volumes = LvmReport.logicalVolumes(RecordedLvm.fixture("lvs.json"));

    assertThat(groups).containsExactly(new VolumeGroup("lunarrec", 62914560, 16777216, 4194304));
    assertThat(volumes)
        .extracting(LogicalVolume::name)
        .containsExactly("home", LvmSpecs.THIN_LV, LvmSpecs.UNWIPED_LV, "tpool");
    LogicalVolume unwiped = volumes.get(2);
    assertThat(unwiped.tags()).isEqualTo(Set.of(Lvm.VOLUME_TAG, Lvm.UNWIPED_TAG));
    assertThat(unwiped.lunars()).isTrue();
    assertThat(unwiped.unwiped()).isTrue();
    assertThat(unwiped.closed()).as("open state unknown (-1) counts as open").isFalse();
    assertThat(unwiped.inactive()).as("state X is unknown, not inactive").isFalse();
    LogicalVolume pool = volumes.get(3);
    assertThat(pool.thinPool()).isTrue();
    assertThat(pool.zero()).isEqualTo(1);
    assertThat(pool.dataPercent()).isNull();
    assertThat(volumes.get(1).poolLv()).isEqualTo("tpool");
    assertThat(volumes.getFirst().tags()).isEmpty();
  }

  @Test
  void anExtentRoundsAVolumeUp() {
    VolumeGroup group = new VolumeGroup("vg", 0, 0, 4 << 20);

    assertThat(group.extentsFor(1)).isEqualTo(4 << 20);
    assertThat(group.extentsFor(4 << 20)).isEqualTo(4 << 20);
    assertThat(group.extentsFor((4 << 20) + 1)).isEqualTo(8 << 20);
  }

  @Test
  void somethingElseThanAReportIsAClearError() {
    assertThatThrownBy(() -> LvmReport.volumeGroups("  WARNING: locking failed"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("unreadable LVM report");
    assertThatThrownBy(
            () ->
                LvmReport.volumeGroups(
                    "{\"report\":[{\"vg\":[{\"vg_name\":\"x\",\"vg_size\":\"\"}]}]}"))
        .hasMessage("LVM report field vg_size is no byte count: ''");
  }
}
