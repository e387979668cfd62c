package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.testing.Commands;
import dev.lunar.testing.ProcessResult;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
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

  /**
   * Packages the cache held only because of how the daemon and the training used libraries
   * (docs/benchmarks.md, 2026-12-07 15:30): Micrometer and Prometheus for a daemon whose metrics
   * are off, SnakeYAML's bean introspection, logback's status printer (java.time formatting), a
   * Formatter's locale data, and System.exit's logger.
   */
  private static final List<String> UNNEEDED =
      List.of(
          "io.micrometer.",
          "io.prometheus.",
          "java.beans.",
          "java.time.format.",
          "java.util.logging.Logger", // LogManager comes with Netty's look at the JVM's options
          "sun.util.locale.provider.",
          "jdk.internal.logger.");

  /** What -Xlog:class+load writes before a class's name. */
  private static final String CLASS_LOADED = "[class,load] ";

  /**
   * The classes in the cache: those the JVM that writes it (the training's second JVM) loads from
   * the training's record. The training JVM's own log also holds what it loads after recording, to
   * start that second JVM.
   */
  private static List<String> cachedClasses(Path dir) throws IOException {
    try (DirectoryStream<Path> logs = Files.newDirectoryStream(dir, "classes-*.log")) {
      for (Path log : logs) {
        List<String> lines = Files.readAllLines(log);
        if (lines.stream()
            .anyMatch(l -> l.contains(" dev.lunar.agent.Main source: shared objects file"))) {
          return lines.stream()
              .filter(l -> l.contains(CLASS_LOADED))
              .map(l -> l.substring(l.indexOf(CLASS_LOADED) + CLASS_LOADED.length()).split(" ")[0])
              .toList();
        }
      }
    }
    throw new AssertionError("no JVM of the training loaded the agent from the recorded classes");
  }

  @Test
  void launcherTrainsTheCacheAndTheDaemonStartsWithIt(@TempDir Path dir) throws Exception {
    Path cache = dir.resolve("agent.aot");
    // The launcher runs the first java on PATH: this test's JDK, as Daemon does.
    String path = Path.of(Commands.java()).getParent() + ":" + System.getenv("PATH");
    // Every JVM of the training logs the classes it loads: they are what the cache holds.
    String classLog = "-Xlog:class+load=info:file=" + dir.resolve("classes-%p.log");
    Map<String, String> env =
        Map.of("LUNAR_AOT_CACHE", cache.toString(), "PATH", path, "JDK_JAVA_OPTIONS", classLog);

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
    assertThat(cachedClasses(dir))
        .as("classes a standalone daemon never loads before it exits stay out of its cache")
        .isNotEmpty()
        .noneMatch(name -> UNNEEDED.stream().anyMatch(name::startsWith));

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
