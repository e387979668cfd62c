package dev.lunar.agent.node;

import static dev.lunar.agent.node.PoolSpecs.pool;
import static dev.lunar.agent.node.PoolSpecs.spec;
import static dev.lunar.agent.node.PoolSpecs.volume;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeCollectorTest {

  @TempDir Path tmp;
  private Path pool;
  private Path kept;
  private Path dropped;

  @BeforeEach
  void aPoolWithTwoVolumes() throws IOException {
    pool = Files.createDirectories(tmp.resolve("pool"));
    kept = Files.writeString(pool.resolve("kept.lunar-volume"), "k");
    dropped = Files.writeString(pool.resolve("dropped.lunar-volume"), "d");
  }

  @Test
  void deletesTheVolumesNoLunNamesAndKeepsTheOthers() {
    VolumeCollector.collect(
        spec(List.of(pool("p", pool, null)), volume(1, kept, 1, null, "p")), TargetSetSpec.empty());

    assertThat(kept).exists();
    assertThat(dropped).doesNotExist();
  }

  @Test
  void aLunThatIsRefusedStillKeepsItsFile() {
    // The spec names it: refusal (no space, device checks) withdraws the export, never the data.
    VolumeCollector.collect(
        spec(List.of(pool("p", pool, null)), volume(1, kept, 1, false, "p"), plainLun(dropped)),
        TargetSetSpec.empty());

    assertThat(kept).exists();
    assertThat(dropped).exists();
  }

  @Test
  void touchesNeitherOtherFilesNorSymlinksNorDirectories() throws IOException {
    Path image = Files.writeString(pool.resolve("disk.img"), "i");
    Path hidden = Files.writeString(pool.resolve(".lunar-volume.txt"), "h");
    Path outside = Files.writeString(tmp.resolve("outside.lunar-volume"), "o");
    Path link = Files.createSymbolicLink(pool.resolve("link.lunar-volume"), outside);
    Path subdir = Files.createDirectories(pool.resolve("sub.lunar-volume"));
    Path nested = Files.writeString(subdir.resolve("deep.lunar-volume"), "n");

    VolumeCollector.collect(spec(List.of(pool("p", pool, null))), TargetSetSpec.empty());

    assertThat(kept).doesNotExist();
    assertThat(dropped).doesNotExist();
    assertThat(List.of(image, hidden, outside, link, subdir, nested)).allMatch(Files::exists);
    assertThat(Files.isSymbolicLink(link)).isTrue();
  }

  @Test
  void withoutAPoolListNothingIsDeleted() {
    // An operator from before pools writes no list: its silence must not wipe the node.
    VolumeCollector.collect(spec(null), TargetSetSpec.empty());

    assertThat(kept).exists();
    assertThat(dropped).exists();
  }

  @Test
  void aDirectoryThatIsNoListedPoolIsLeftAlone() throws IOException {
    Path other = Files.createDirectories(tmp.resolve("other"));
    Path stray = Files.writeString(other.resolve("stray.lunar-volume"), "s");

    VolumeCollector.collect(
        spec(List.of(pool("p", pool, null)), volume(1, kept, 1, null, "p")), TargetSetSpec.empty());

    assertThat(stray).exists();
    assertThat(dropped).doesNotExist();
  }

  @Test
  void aFileTheEngineStillServesIsKept() {
    TargetSetSpec serving = PoolSpecs.serving(dropped.toString());

    VolumeCollector.collect(spec(List.of(pool("p", pool, null))), serving);

    assertThat(dropped).exists();
    assertThat(kept).doesNotExist();
  }

  @Test
  void theSameFileNamedThroughASymlinkedDirectoryIsKept() throws IOException {
    Path alias = Files.createSymbolicLink(tmp.resolve("alias"), pool);

    VolumeCollector.collect(
        spec(
            List.of(pool("p", pool, null)),
            volume(1, alias.resolve("kept.lunar-volume"), 1, null, "p")),
        TargetSetSpec.empty());

    assertThat(kept).exists();
    assertThat(dropped).doesNotExist();
  }

  private static NodeLun plainLun(Path file) {
    return volume(2, file, 1, null, null);
  }
}
