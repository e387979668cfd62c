package dev.lunar.csi.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingStateTest {

  @TempDir Path dir;

  private static StagedVolume volume(String id, int lun, boolean block) {
    return new StagedVolume(
        id,
        IscsiTarget.parse("10.0.0.5:3260", "iqn.2026-12.dev.lunar:t"),
        lun,
        Path.of("/var/lib/kubelet/staging/" + lun),
        block,
        block ? "" : "ext4");
  }

  @Test
  void recordsSurviveANewInstanceAndAnyVolumeIdMakesAFileName() throws Exception {
    StagedVolume odd = volume("pvc/with:odd chars/../and-more", 1, false);
    StagedVolume raw = volume("vol-2", 2, true);
    new StagingState(dir).save(odd);
    new StagingState(dir).save(raw);

    StagingState reopened = new StagingState(dir);
    assertThat(reopened.find(odd.volumeId())).contains(odd);
    assertThat(reopened.all()).containsExactlyInAnyOrder(odd, raw);
    assertThat(Files.list(dir)).hasSize(2).allMatch(f -> f.getParent().equals(dir));
  }

  @Test
  void removeForgetsAndUnknownIsEmpty() throws Exception {
    StagingState state = new StagingState(dir.resolve("not-yet"));
    assertThat(state.all()).isEmpty();
    state.save(volume("vol-1", 1, false));

    state.remove("vol-1");
    state.remove("vol-1");

    assertThat(state.find("vol-1")).isEmpty();
    assertThat(state.all()).isEmpty();
  }

  @Test
  void anUnreadableRecordIsLeftOutOfTheList() throws Exception {
    StagingState state = new StagingState(dir);
    state.save(volume("vol-1", 1, false));
    Files.writeString(dir.resolve("garbage.properties"), "volumeId=x\n");

    assertThat(state.all()).extracting(StagedVolume::volumeId).containsExactly("vol-1");
  }
}
