package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.testing.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads and writes through iscsi:// with qemu-img, the way a hypervisor uses the target. */
class DataPathIT {

  private static final String IQN = "iqn.2026-11.dev.lunar.it:data";
  private static final long SIZE = 64L << 20;

  @TempDir static Path dir;
  private static Daemon daemon;
  private static String url;

  @BeforeAll
  static void startDaemon() {
    Path disk = Disks.sparse(dir.resolve("disk.img"), SIZE);
    daemon = new Daemon(dir).start().exportDisk(IQN, disk);
    url = Initiator.url(daemon.portal(), IQN, 1, null, null);
  }

  @AfterAll
  static void stopDaemon() {
    if (daemon != null) {
      daemon.close();
    }
  }

  @Test
  void qemuImgBenchReadsAndWritesThroughTheTarget() {
    ProcessResult read =
        Initiator.qemuImg("bench", "-f", "raw", "-c", "2000", "-d", "8", "-s", "65536", url);
    ProcessResult write =
        Initiator.qemuImg("bench", "-w", "-f", "raw", "-c", "2000", "-d", "8", "-s", "65536", url);

    assertThat(read.exitCode()).as(read.toString()).isZero();
    assertThat(read.stdout()).contains("Run completed in");
    assertThat(write.exitCode()).as(write.toString()).isZero();
    assertThat(write.stdout()).contains("Run completed in");
  }

  @Test
  void qemuImgConvertRoundTripsDataBitExact() throws IOException {
    byte[] content = new byte[24 << 20];
    new Random(42).nextBytes(content);
    Path source = Files.write(dir.resolve("source.raw"), content);
    Path back = dir.resolve("back.raw");

    ProcessResult in =
        Initiator.qemuImg("convert", "-n", "-f", "raw", "-O", "raw", source.toString(), url);
    ProcessResult out =
        Initiator.qemuImg("convert", "-f", "raw", "-O", "raw", url, back.toString());

    assertThat(in.exitCode()).as(in.toString()).isZero();
    assertThat(out.exitCode()).as(out.toString()).isZero();
    byte[] read = Files.readAllBytes(back);
    assertThat(read).hasSize((int) SIZE);
    assertThat(java.util.Arrays.equals(read, 0, content.length, content, 0, content.length))
        .as("the first 24 MiB read back equal what was written")
        .isTrue();
  }
}
