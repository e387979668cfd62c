package dev.lunar.agent.node;

import static dev.lunar.agent.node.PoolSpecs.allocatedBytes;
import static dev.lunar.agent.node.PoolSpecs.pool;
import static dev.lunar.agent.node.PoolSpecs.spec;
import static dev.lunar.agent.node.PoolSpecs.volume;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolVolumesTest {

  private static final long MIB = 1L << 20;

  @TempDir Path tmp;

  @Test
  void aThinVolumeIsASparseFileOfItsSizeInAPoolDirectoryMadePrivate() throws Exception {
    Path dir = tmp.resolve("pools/fast");
    Path file = dir.resolve("uid-1.lunar-volume");

    Map<String, Refusal> refused =
        PoolVolumes.onHost()
            .prepare(
                spec(List.of(pool("fast", dir, null)), volume(1, file, 64 * MIB, null, "fast")));

    assertThat(refused).isEmpty();
    assertThat(Files.size(file)).isEqualTo(64 * MIB);
    assertThat(allocatedBytes(file)).isLessThan(MIB);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (var left = Files.list(dir)) {
      assertThat(left).containsExactly(file); // no partial file stays behind
    }
  }

  @Test
  void aThickVolumeHasEveryBlockAllocatedUpFront() throws Exception {
    Path file = tmp.resolve("uid-2.lunar-volume");

    Map<String, Refusal> refused =
        PoolVolumes.onHost()
            .prepare(spec(List.of(pool("p", tmp, null)), volume(1, file, 16 * MIB, false, "p")));

    assertThat(refused).isEmpty();
    assertThat(Files.size(file)).isEqualTo(16 * MIB);
    assertThat(allocatedBytes(file)).isGreaterThanOrEqualTo(16 * MIB);
  }

  @Test
  void anExistingFileIsNeitherTruncatedNorReallocated() throws Exception {
    Path file = tmp.resolve("uid-3.lunar-volume");
    Files.writeString(file, "initiator data");

    Map<String, Refusal> refused =
        PoolVolumes.onHost()
            .prepare(spec(List.of(pool("p", tmp, null)), volume(1, file, 16 * MIB, false, "p")));

    assertThat(refused).isEmpty();
    assertThat(Files.readString(file)).isEqualTo("initiator data");
  }

  @Test
  void aThickVolumeThatDoesNotFitIsRefusedWithNoSpaceAndLeavesNoFile() {
    Path file = tmp.resolve("uid-4.lunar-volume");
    PoolVolumes full =
        new PoolVolumes(
            (f, length) -> {
              Files.writeString(f, "half"); // what a failed fallocate may leave
              throw new IOException("fallocate failed: errno 28");
            },
            dir -> new SpaceProbe.Space(100 * MIB, 3 * MIB));

    Map<String, Refusal> refused =
        full.prepare(spec(List.of(pool("p", tmp, null)), volume(1, file, 16 * MIB, false, "p")));

    assertThat(refused.get(file.toString()))
        .isEqualTo(
            new Refusal(
                Refusal.NO_SPACE,
                "thick volume "
                    + file
                    + " needs 16777216 bytes, the filesystem of "
                    + tmp
                    + " has 3145728 free"));
    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void anAllocationFailingForAnotherReasonIsRefusedAsSuch() {
    Path file = tmp.resolve("uid-5.lunar-volume");
    PoolVolumes unsupported =
        new PoolVolumes(
            (f, length) -> {
              throw new IOException("fallocate failed: errno 95");
            },
            dir -> new SpaceProbe.Space(100 * MIB, 90 * MIB));

    Refusal refusal =
        unsupported
            .prepare(spec(List.of(pool("p", tmp, null)), volume(1, file, 16 * MIB, false, "p")))
            .get(file.toString());

    assertThat(refusal.reason()).isEqualTo(Refusal.POOL_VOLUME_FAILED);
    assertThat(refusal.detail()).contains(file.toString(), "errno 95");
    assertThat(tmp).isEmptyDirectory();
  }

  /** The real thing: fallocate on an 8 MiB tmpfs answers ENOSPC for a 16 MiB thick volume. */
  @Test
  void onAFullFilesystemTheRealFallocateIsRefusedWithNoSpace() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mount needs root");
    Path mount = Files.createDirectories(tmp.resolve("small"));
    Assumptions.assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString()) == 0,
        "cannot mount a tmpfs here");
    try {
      Path dir = mount.resolve("pool");
      Path big = dir.resolve("big.lunar-volume");
      Path small = dir.resolve("small.lunar-volume");

      Map<String, Refusal> refused =
          PoolVolumes.onHost()
              .prepare(
                  spec(
                      List.of(pool("p", dir, null)),
                      volume(1, big, 16 * MIB, false, "p"),
                      volume(2, small, 2 * MIB, false, "p")));

      assertThat(refused).containsOnlyKeys(big.toString());
      assertThat(refused.get(big.toString()).reason()).isEqualTo(Refusal.NO_SPACE);
      assertThat(refused.get(big.toString()).detail()).contains("needs 16777216 bytes");
      try (var left = Files.list(dir)) {
        assertThat(left).containsExactly(small);
      }
      assertThat(allocatedBytes(small)).isGreaterThanOrEqualTo(2 * MIB);
    } finally {
      run("umount", mount.toString());
    }
  }

  @Test
  void aFileLunOutsideAnyPoolIsNotItsBusiness() {
    Path file = tmp.resolve("plain.img");

    Map<String, Refusal> refused =
        PoolVolumes.onHost().prepare(spec(List.of(), volume(1, file, 16 * MIB, false, null)));

    assertThat(refused).isEmpty();
    assertThat(file).doesNotExist(); // FileBackings makes plain files, sparse, as before
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    if (p.exitValue() != 0) {
      System.err.println(String.join(" ", command) + ": " + output);
    }
    return p.exitValue();
  }
}
