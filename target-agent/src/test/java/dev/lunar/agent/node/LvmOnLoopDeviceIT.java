package dev.lunar.agent.node;

import static dev.lunar.agent.node.LvmSpecs.MIB;
import static dev.lunar.agent.node.LvmSpecs.volume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.csi.node.Command;
import dev.lunar.csi.node.CommandRunner;
import dev.lunar.csi.node.ProcessCommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's LVM path for real: a volume group and a thin pool on a loop device, volumes made,
 * zeroed, measured and removed by the real tools. Needs root, lvm2 and a kernel with device-mapper
 * (registered in {@code /proc/misc}; its node is {@code /dev/mapper/control}); without one it is
 * skipped, saying so, since no logical volume can be activated there. The kernel's list is asked,
 * not the node: libdevmapper makes {@code /dev/mapper/control} itself when it is missing, even
 * where the kernel has no driver behind it.
 */
class LvmOnLoopDeviceIT {

  private static final String GROUP = "lunarit" + ProcessHandle.current().pid();
  private final CommandRunner runner = new ProcessCommandRunner();
  private final ExecutorService wipes = Executors.newSingleThreadExecutor();
  private String loop;

  @TempDir Path tmp;

  @BeforeEach
  void makeGroup() throws Exception {
    assumeTrue(
        deviceMapperInKernel(),
        "no device-mapper in this kernel (not in /proc/misc, /dev/mapper/control missing): LVM"
            + " cannot activate volumes here");
    assumeTrue("root".equals(System.getProperty("user.name")), "making a loop device needs root");
    Path image = tmp.resolve("pv.img");
    try (var file = new java.io.RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(256 * MIB);
    }
    loop = run("losetup", "--find", "--show", image.toString()).strip();
    run("pvcreate", "--config", Lvm.CONFIG, loop);
    run("vgcreate", "--config", Lvm.CONFIG, GROUP, loop);
    run(
        "lvcreate",
        "--config",
        Lvm.CONFIG,
        "--type",
        "thin-pool",
        "--size",
        "64m",
        "--name",
        "tpool",
        GROUP);
  }

  @AfterEach
  void removeGroup() throws Exception {
    wipes.shutdownNow();
    if (loop != null) {
      runner.run(
          Command.of("vgremove", "--config", Lvm.CONFIG, "--yes", GROUP), Duration.ofMinutes(1));
      runner.run(Command.of("pvremove", "--config", Lvm.CONFIG, loop), Duration.ofMinutes(1));
      runner.run(Command.of("losetup", "--detach", loop), Duration.ofMinutes(1));
    }
  }

  @Test
  void volumesAreMadeZeroedMeasuredAndRemovedByTheRealTools() throws Exception {
    Lvm lvm = new Lvm(runner);
    LvmVolumes volumes = new LvmVolumes(lvm, Zeroer.ON_HOST, wipes, () -> {});
    NodePool pool = NodePool.volumeGroup("it", GROUP, "tpool");
    String thin = "/dev/" + GROUP + "/lunar-thin";
    String thick = "/dev/" + GROUP + "/lunar-thick";
    IscsiNodeSpec spec =
        PoolSpecs.spec(
            List.of(pool),
            volume(1, thin, 16 * MIB, null, "it"),
            volume(2, thick, 8 * MIB, false, "it"));

    Map<String, Refusal> first = volumes.prepare(spec);
    wipes.shutdown();
    assertThat(wipes.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
    Map<String, Refusal> second = volumes.prepare(spec);

    assertThat(first.keySet()).containsExactly(thick);
    assertThat(second).isEmpty();
    assertThat(Files.exists(Path.of(thin))).isTrue();
    assertThat(Files.readAllBytes(Path.of(thick))).containsOnly((byte) 0);
    assertThat(new LvmMeasurement(lvm).measure(pool, 24 * MIB, 2).capacityBytes())
        .isEqualTo(64 * MIB);

    new LvmCollector(lvm, d -> false).collect(PoolSpecs.spec(List.of(pool)), TargetSetSpec.empty());

    assertThat(lvm.logicalVolumes(GROUP)).extracting(LogicalVolume::name).containsExactly("tpool");
  }

  private static boolean deviceMapperInKernel() {
    try {
      return Files.readString(Path.of("/proc/misc")).contains("device-mapper");
    } catch (IOException e) {
      return false;
    }
  }

  private String run(String... argv) throws IOException {
    CommandRunner.Result result = runner.run(Command.of(argv), Duration.ofMinutes(1));
    if (!result.succeeded()) {
      throw new IOException(String.join(" ", argv) + ": " + result.message());
    }
    return result.stdout();
  }
}
