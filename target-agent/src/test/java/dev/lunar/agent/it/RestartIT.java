package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.testing.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A crashed daemon comes back from its state dir with every export and every flushed block. */
class RestartIT {

  private static final String IQN = "iqn.2026-11.dev.lunar.it:restart";

  @TempDir Path dir;

  @Test
  void killedDaemonRestoresExportsAccountsAndAclsAndFlushedData() throws IOException {
    Path disk = Disks.sparse(dir.resolve("disk.img"), 32L << 20);
    byte[] content = new byte[4 << 20];
    new Random(7).nextBytes(content);
    Path source = Files.write(dir.resolve("source.raw"), content);
    Path back = dir.resolve("back.raw");
    try (Daemon daemon = new Daemon(dir).start().exportDisk(IQN, disk)) {
      daemon.tgtadmOk(
          "--lld",
          "iscsi",
          "--mode",
          "account",
          "--op",
          "new",
          "--user",
          "bob",
          "--password",
          "bob-secret-12");
      String url = Initiator.url(daemon.portal(), IQN, 1, null, null);
      // qemu-img convert ends with SYNCHRONIZE CACHE: everything it wrote is flushed.
      ProcessResult write =
          Initiator.qemuImg("convert", "-n", "-f", "raw", "-O", "raw", source.toString(), url);
      assertThat(write.exitCode()).as(write.toString()).isZero();
      String before = daemon.tgtadmOk("--lld", "iscsi", "--mode", "target", "--op", "show");

      daemon.kill9();
      daemon.start(daemon.port());

      String after = daemon.tgtadmOk("--lld", "iscsi", "--mode", "target", "--op", "show");
      assertThat(after).isEqualTo(before);
      assertThat(daemon.tgtadmOk("--lld", "iscsi", "--mode", "account", "--op", "show"))
          .contains("bob");
      ProcessResult read =
          Initiator.qemuImg("convert", "-f", "raw", "-O", "raw", url, back.toString());
      assertThat(read.exitCode()).as(read.toString()).isZero();
      byte[] readBack = Files.readAllBytes(back);
      assertThat(Arrays.equals(readBack, 0, content.length, content, 0, content.length))
          .as("flushed data survives kill -9")
          .isTrue();
    }
  }
}
