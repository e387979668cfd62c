package dev.lunar.agent.node;

import static dev.lunar.agent.node.PoolSpecs.pool;
import static dev.lunar.agent.node.PoolSpecs.spec;
import static dev.lunar.agent.node.PoolSpecs.volume;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeStatus.NodePoolStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolMeasurementTest {

  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  @TempDir Path tmp;

  /** A 100 GiB filesystem with 70 GiB free, whatever the test machine has. */
  /** Directory pools never ask LVM: a test that made it would fail on this runner. */
  private static final LvmMeasurement NO_GROUPS =
      new LvmMeasurement(
          new Lvm(
              (command, timeout) -> {
                throw new AssertionError("LVM asked about a directory pool: " + command);
              }));

  private static final SpaceProbe HUNDRED_GIB = dir -> new SpaceProbe.Space(100 * GIB, 70 * GIB);

  @Test
  void volumesCountAtTheirProvisionedSizeAndFreeIsWhatIsLeftOfTheCapacity() throws IOException {
    Path a = tmp.resolve("a");
    Path b = Files.createDirectories(tmp.resolve("b"));
    Path sizeless = Files.write(b.resolve("old.lunar-volume"), new byte[4096]);
    IscsiNodeSpec spec =
        spec(
            List.of(pool("a", Files.createDirectories(a), 50 * GIB), pool("b", b, null)),
            volume(1, a.resolve("1.lunar-volume"), 10 * GIB, null, "a"),
            volume(2, a.resolve("2.lunar-volume"), 5 * GIB, false, "a"),
            volume(3, sizeless, 0, null, "b"),
            volume(4, tmp.resolve("plain.img"), GIB, null, null));

    List<NodePoolStatus> pools = PoolMeasurement.measure(spec, HUNDRED_GIB, NO_GROUPS);

    assertThat(pools)
        .containsExactly(
            new NodePoolStatus("a", true, null, null, 50 * GIB, 15 * GIB, 35 * GIB, 2),
            new NodePoolStatus("b", true, null, null, 100 * GIB, 4096L, 70 * GIB, 1));
  }

  @Test
  void freeIsBoundedByTheFilesystemAndNeverNegative() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("p"));
    SpaceProbe nearlyFull = d -> new SpaceProbe.Space(100 * GIB, 2 * GIB);

    NodePoolStatus roomy =
        PoolMeasurement.measure(
                spec(List.of(pool("p", dir, null)), volume(1, dir.resolve("v"), GIB, null, "p")),
                nearlyFull,
                NO_GROUPS)
            .getFirst();
    NodePoolStatus overcommitted =
        PoolMeasurement.measure(
                spec(
                    List.of(pool("p", dir, 10 * GIB)),
                    volume(1, dir.resolve("v"), 12 * GIB, null, "p")),
                nearlyFull,
                NO_GROUPS)
            .getFirst();

    assertThat(roomy.freeBytes()).isEqualTo(2 * GIB);
    assertThat(overcommitted.freeBytes()).isZero();
    assertThat(overcommitted.allocatedBytes()).isEqualTo(12 * GIB);
  }

  @Test
  void aMissingDirectoryOrAnUnmeasurableOneIsNotReady() throws IOException {
    Path missing = tmp.resolve("missing");
    Path file = Files.writeString(tmp.resolve("file"), "x");
    Path dir = Files.createDirectories(tmp.resolve("dir"));
    SpaceProbe broken =
        d -> {
          throw new IOException("statvfs: Input/output error");
        };

    List<NodePoolStatus> pools =
        PoolMeasurement.measure(
            spec(
                List.of(pool("m", missing, null), pool("f", file, null), pool("d", dir, null)),
                volume(1, missing.resolve("v"), GIB, null, "m")),
            broken,
            NO_GROUPS);

    assertThat(pools)
        .containsExactly(
            new NodePoolStatus(
                "m",
                false,
                "PoolDirectoryMissing",
                missing + " does not exist",
                null,
                GIB,
                null,
                1),
            new NodePoolStatus(
                "f",
                false,
                "PoolDirectoryMissing",
                file + " is not a directory",
                null,
                0L,
                null,
                0),
            new NodePoolStatus(
                "d",
                false,
                "PoolUnreadable",
                "cannot measure the filesystem of " + dir + ": statvfs: Input/output error",
                null,
                0L,
                null,
                0));
  }

  @Test
  void aSpecWithoutAPoolListHasNoPoolStatus() {
    assertThat(PoolMeasurement.measure(spec(null), HUNDRED_GIB, NO_GROUPS)).isNull();
    assertThat(PoolMeasurement.measure(null, HUNDRED_GIB, NO_GROUPS)).isNull();
    assertThat(PoolMeasurement.measure(spec(List.of()), HUNDRED_GIB, NO_GROUPS)).isEmpty();
  }

  @Test
  void changesUnderAMibKeepTheReportedFiguresSoAnIdleNodeWritesNothing() {
    List<NodePoolStatus> reported = List.of(ready(100 * GIB, 10 * GIB, 50 * GIB, 2));

    List<NodePoolStatus> jitter =
        PoolMeasurement.settle(
            reported, List.of(ready(100 * GIB, 10 * GIB, 50 * GIB - MIB + 1, 2)));
    List<NodePoolStatus> filled =
        PoolMeasurement.settle(reported, List.of(ready(100 * GIB, 10 * GIB, 50 * GIB - MIB, 2)));
    List<NodePoolStatus> added =
        PoolMeasurement.settle(reported, List.of(ready(100 * GIB, 10 * GIB + 4096, 50 * GIB, 3)));

    assertThat(jitter.getFirst()).isSameAs(reported.getFirst());
    assertThat(filled.getFirst().freeBytes()).isEqualTo(50 * GIB - MIB);
    assertThat(added.getFirst().volumeCount()).isEqualTo(3);
    assertThat(added.getFirst().allocatedBytes()).isEqualTo(10 * GIB + 4096);
  }

  @Test
  void slowDriftAddsUpAgainstWhatWasReported() {
    long step = 600 * 1024;
    List<NodePoolStatus> reported = List.of(ready(100 * GIB, 0, 50 * GIB, 0));

    List<NodePoolStatus> once =
        PoolMeasurement.settle(reported, List.of(ready(100 * GIB, 0, 50 * GIB - step, 0)));
    List<NodePoolStatus> twice =
        PoolMeasurement.settle(once, List.of(ready(100 * GIB, 0, 50 * GIB - 2 * step, 0)));

    assertThat(once).isEqualTo(reported);
    assertThat(twice.getFirst().freeBytes()).isEqualTo(50 * GIB - 2 * step);
  }

  @Test
  void readinessOrAChangedPoolListIsReportedAtOnce() {
    List<NodePoolStatus> reported = List.of(ready(100 * GIB, 0, 50 * GIB, 0));
    NodePoolStatus gone =
        new NodePoolStatus("p", false, "PoolUnreadable", "cannot measure", null, 0L, null, 0);

    assertThat(PoolMeasurement.settle(reported, List.of(gone))).containsExactly(gone);
    assertThat(PoolMeasurement.settle(reported, List.of())).isEmpty();
    assertThat(PoolMeasurement.settle(reported, null)).isNull();
    assertThat(PoolMeasurement.settle(null, reported)).isSameAs(reported);
  }

  private static NodePoolStatus ready(long capacity, long allocated, long free, int count) {
    return new NodePoolStatus("p", true, null, null, capacity, allocated, free, count);
  }
}
