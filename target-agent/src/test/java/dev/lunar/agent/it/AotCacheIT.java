package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.testing.Commands;
import dev.lunar.testing.ProcessResult;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's AOT cache: {@code scripts/lunar-java.sh --train JAR} writes it from the jar's
 * built-in workload, and a daemon the launcher starts afterwards runs with it. The daemon gets
 * {@code -XX:AOTMode=on}, under which the JVM refuses to start rather than run without a cache it
 * cannot use, so a cache that does not match the runtime, jar or options fails this test.
 */
class AotCacheIT {

  @Test
  void launcherTrainsTheCacheAndTheDaemonStartsWithIt(@TempDir Path dir) throws Exception {
    Path cache = dir.resolve("agent.aot");
    // The launcher runs the first java on PATH: this test's JDK, as Daemon does.
    String path = Path.of(Commands.java()).getParent() + ":" + System.getenv("PATH");
    Map<String, String> env = Map.of("LUNAR_AOT_CACHE", cache.toString(), "PATH", path);

    ProcessResult training =
        Commands.capture(
            Duration.ofMinutes(3),
            env,
            List.of(Daemon.LAUNCHER.toString(), "--train", Daemon.JAR.toString()));

    assertThat(training.exitCode()).as(training.toString()).isZero();
    assertThat(training.all())
        .containsPattern("train: 40772 commands, 776 MiB moved and checked in [0-9.]+ s")
        .contains("AOTCache creation is complete");
    assertThat(Files.size(cache)).isGreaterThan(8L << 20);

    Path disk = dir.resolve("disk.img");
    try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
      file.setLength(16L << 20);
    }
    try (Daemon daemon =
        new Daemon(dir)
            .viaLauncher()
            .withEnv("LUNAR_AOT_CACHE", cache.toString())
            .jvmOptions("-XX:AOTMode=on")
            .start()) {
      daemon.exportDisk("iqn.2026-12.dev.lunar.test:aot", disk);
      ProcessResult inquiry =
          Initiator.readCapacity16(
              Initiator.url(daemon.portal(), "iqn.2026-12.dev.lunar.test:aot", 1, null, null));
      assertThat(inquiry.exitCode()).as(inquiry.toString()).isZero();
      assertThat(inquiry.stdout()).contains("Total size:" + (16L << 20));
    }
  }
}
