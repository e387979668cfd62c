package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.testing.ProcessResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classic tgt tutorial, typed as the tutorials print it, against Lunar's tgtd and tgtadm; then
 * a real initiator sees what the tutorial promises.
 */
class TgtTutorialIT {

  private static final String IQN = "iqn.2001-04.com.example:storage.disk1.amiens.sys1.xyz";

  @TempDir Path dir;

  @Test
  void tutorialSessionExportsADiskThatAnInitiatorSees() {
    Path disk = Disks.sparse(dir.resolve("sdb.img"), 32L << 20);
    try (Daemon daemon = new Daemon(dir).start()) {
      daemon.tgtadmOk("--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", "1", "-T", IQN);
      String afterTarget = daemon.tgtadmOk("--lld", "iscsi", "--op", "show", "--mode", "target");
      daemon.tgtadmOk(
          "--lld",
          "iscsi",
          "--op",
          "new",
          "--mode",
          "logicalunit",
          "--tid",
          "1",
          "--lun",
          "1",
          "-b",
          disk.toString());
      String afterLun = daemon.tgtadmOk("--lld", "iscsi", "--op", "show", "--mode", "target");
      daemon.tgtadmOk(
          "--lld", "iscsi", "--op", "bind", "--mode", "target", "--tid", "1", "-I", "ALL");

      assertThat(afterTarget)
          .startsWith("Target 1: " + IQN + "\n")
          .contains("    System information:\n        Driver: iscsi\n        State: ready\n")
          .contains("        LUN: 0\n            Type: controller\n")
          .doesNotContain("LUN: 1");
      assertThat(afterLun)
          .contains("        LUN: 1\n            Type: disk\n")
          .contains("            SCSI ID: IET     00010001\n")
          .contains("            SCSI SN: beaf11\n")
          .contains("            Size: 34 MB, Block size: 512\n")
          .contains("            Backing store type: rdwr\n")
          .contains("            Backing store path: " + disk + "\n");

      ProcessResult seen = Initiator.ls("-s", "iscsi://" + daemon.portal());
      assertThat(seen.exitCode()).as(seen.toString()).isZero();
      assertThat(seen.stdout())
          .contains("Target:" + IQN)
          .contains("Lun:0    Type:STORAGE_ARRAY_CONTROLLER")
          .contains("Lun:1    Type:DIRECT_ACCESS (Size:31M)");

      String withSession = sessionWhileConnected(daemon);
      assertThat(withSession).contains("        I_T nexus: ").contains("            Initiator: ");
    }
  }

  /** The show output while an initiator holds a session (qemu-img bench keeps one open). */
  private static String sessionWhileConnected(Daemon daemon) {
    Thread bench =
        Thread.ofVirtual()
            .start(
                () ->
                    Initiator.qemuImg(
                        "bench",
                        "-f",
                        "raw",
                        "-c",
                        "30000",
                        "-d",
                        "1",
                        "-s",
                        "4096",
                        Initiator.url(daemon.portal(), IQN, 1, null, null)));
    try {
      for (int i = 0; i < 100; i++) {
        String show = daemon.tgtadmOk("--lld", "iscsi", "--op", "show", "--mode", "target");
        if (show.contains("I_T nexus: ")) {
          return show;
        }
        Thread.sleep(100);
      }
      return daemon.tgtadmOk("--lld", "iscsi", "--op", "show", "--mode", "target");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    } finally {
      try {
        bench.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
