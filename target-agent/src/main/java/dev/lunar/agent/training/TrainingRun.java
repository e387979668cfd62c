package dev.lunar.agent.training;

import dev.lunar.agent.control.ConfigException;
import dev.lunar.agent.control.TgtdOptions;
import dev.lunar.agent.control.TgtdOptions.HostPort;
import dev.lunar.agent.daemon.TgtdDaemon;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code train} command: a short run of the standalone target under the workloads real
 * initiators bring, so that {@code java -XX:AOTCacheOutput=FILE -jar target-agent.jar train} writes
 * a JDK AOT cache (JEP 483, 514, 515) of the classes the daemon loads and links and of how its hot
 * methods behave. A daemon started with {@code -XX:AOTCache=FILE} then starts with those classes
 * mapped, and its JIT compiles from the recorded profiles instead of gathering them first, which
 * takes most of the compiler's work, and memory, out of its first minute of load
 * (docs/benchmarks.md).
 *
 * <p>Everything runs inside this JVM on a private loopback portal, a 64 MiB file in a temporary
 * directory and a private control directory, so the run needs nothing but the jar: the image build
 * runs it too.
 */
public final class TrainingRun {

  static final String TARGET = "iqn.2026-11.dev.lunar:aot-training";
  static final long LUN_BYTES = 64L << 20;

  private TrainingRun() {}

  /** Runs the training; {@code scale} multiplies the workload (1: a few seconds). */
  public static int run(String[] args) {
    int scale;
    try {
      scale = args.length == 0 ? 1 : Integer.parseInt(args[0]);
      if (scale < 1 || scale > 100) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      System.err.println("train: the only argument is a scale from 1 to 100, not " + args[0]);
      return 2;
    }
    try {
      Summary summary = train(scale);
      // Tenths of a second by hand: a Formatter would load locale data and floating-point
      // formatting into the AOT cache this run writes, which the daemon itself never loads.
      long tenths = summary.nanos() / 100_000_000;
      System.out.println(
          "train: "
              + summary.commands()
              + " commands, "
              + (summary.bytes() >> 20)
              + " MiB moved and checked in "
              + tenths / 10
              + "."
              + tenths % 10
              + " s");
      return 0;
    } catch (IOException | ConfigException e) {
      System.err.println("train: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  /** What one training run did. */
  record Summary(long commands, long bytes, long nanos) {}

  static Summary train(int scale) throws IOException, ConfigException, InterruptedException {
    Path dir = Files.createTempDirectory("lunar-training");
    try {
      Path image = dir.resolve("lun1.img");
      try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
        file.setLength(LUN_BYTES);
      }
      Path config = dir.resolve("training.yaml");
      Files.writeString(config, configuration(image));
      TgtdOptions options =
          new TgtdOptions(
              true,
              0,
              List.of(new HostPort("127.0.0.1", 0)),
              null,
              null,
              config,
              0,
              null,
              false,
              false);
      long start = System.nanoTime();
      try (TgtdDaemon daemon = TgtdDaemon.start(options, dir.resolve("control"))) {
        InetSocketAddress portal = daemon.portals().getFirst();
        discover(portal);
        try (TrainingInitiator initiator = TrainingInitiator.connect(portal)) {
          initiator.login(TARGET);
          TrainingWorkload workload =
              new TrainingWorkload(initiator, 1, LUN_BYTES / TrainingWorkload.BLOCK);
          workload.run(scale);
          initiator.logout();
          return new Summary(workload.commands(), workload.bytes(), System.nanoTime() - start);
        }
      }
    } finally {
      deleteTree(dir);
    }
  }

  /** A discovery session, as every initiator opens before logging in to a target. */
  private static void discover(InetSocketAddress portal) throws IOException {
    try (TrainingInitiator initiator = TrainingInitiator.connect(portal)) {
      initiator.login(null);
      String targets = initiator.sendTargets();
      if (!targets.contains("TargetName=" + TARGET)) {
        throw new IOException("discovery did not list " + TARGET + ": " + targets);
      }
      initiator.logout();
    }
  }

  private static String configuration(Path image) {
    return """
        targets:
          - tid: 1
            iqn: %s
            initiatorAddresses: [ALL]
            luns:
              - lun: 1
                backingStore: %s
        """
        .formatted(TARGET, image);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
