package dev.lunar.chart;

import dev.lunar.operator.AgentProcess;
import dev.lunar.operator.ChildProcesses;
import dev.lunar.testing.Commands;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The agent's tgtd as a real process with metrics on a free loopback port, configured by a YAML
 * file with two targets: {@link #OPEN_IQN} (LUN 1 on a sparse file, open to every address) and
 * {@link #CLOSED_IQN} (no ACL, so every login to it is refused).
 */
final class MeteredAgent implements AutoCloseable {

  static final String OPEN_IQN = "iqn.2026-11.dev.lunar.it:metrics-open";
  static final String CLOSED_IQN = "iqn.2026-11.dev.lunar.it:metrics-closed";

  private final Path dir;
  private final int portalPort;
  private final int metricsPort;
  private final Process process;

  private MeteredAgent(Path dir, int portalPort, int metricsPort, Process process) {
    this.dir = dir;
    this.portalPort = portalPort;
    this.metricsPort = metricsPort;
    this.process = process;
  }

  /** Starts the daemon in {@code dir} and waits until its portal accepts connections. */
  static MeteredAgent start(Path dir) throws IOException {
    Path disk = dir.resolve("disk.img");
    try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
      file.setLength(64L << 20);
    }
    Path config =
        Files.writeString(
            dir.resolve("targets.yaml"),
            """
            targets:
              - tid: 1
                iqn: %s
                initiatorAddresses: [ALL]
                luns:
                  - lun: 1
                    backingStore: %s
              - tid: 2
                iqn: %s
            """
                .formatted(OPEN_IQN, disk, CLOSED_IQN));
    int portalPort = Commands.freePort();
    int metricsPort = Commands.freePort();
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                AgentProcess.JAR.toString(),
                "tgtd",
                "-f",
                "-C",
                "1",
                "--iscsi",
                "portal=127.0.0.1:" + portalPort,
                "--metrics-address",
                "127.0.0.1:" + metricsPort,
                "--state-dir",
                dir.resolve("state").toString(),
                "--config",
                config.toString()));
    builder.environment().put("LUNAR_CONTROL_DIR", dir.resolve("control").toString());
    builder.redirectErrorStream(true);
    builder.redirectOutput(dir.resolve("agent.log").toFile());
    MeteredAgent started = new MeteredAgent(dir, portalPort, metricsPort, builder.start());
    try {
      started.awaitPortal();
    } catch (AssertionError e) {
      started.close();
      throw e;
    }
    return started;
  }

  private void awaitPortal() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("agent exited with " + process.exitValue() + ":\n" + log());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", portalPort), 200);
        return;
      } catch (IOException notYet) {
        Waiting.pause(Duration.ofMillis(100));
      }
    }
    throw new AssertionError("agent did not open its portal within 30 s:\n" + log());
  }

  /** The iscsi:// URL of a LUN, as libiscsi and qemu take it. */
  String url(String iqn, int lun) {
    return "iscsi://127.0.0.1:" + portalPort + "/" + iqn + "/" + lun;
  }

  int metricsPort() {
    return metricsPort;
  }

  String log() {
    try {
      return Files.readString(dir.resolve("agent.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    ChildProcesses.stop(process);
  }
}
