package dev.lunar.csi.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountsTest {

  @TempDir Path dir;

  @Test
  void parsesMountinfoWithOptionalFieldsAndOctalEscapes() {
    var mount =
        Mounts.parse(
                "36 35 98:0 /sub /var/lib/kubelet/pods/a\\040b/vol rw,noatime shared:1 master:2"
                    + " - ext4 /dev/sdb rw,errors=remount-ro")
            .orElseThrow();

    assertThat(mount.path()).isEqualTo(Path.of("/var/lib/kubelet/pods/a b/vol"));
    assertThat(mount.root()).isEqualTo("/sub");
    assertThat(mount.fsType()).isEqualTo("ext4");
    assertThat(mount.source()).isEqualTo("/dev/sdb");
  }

  @Test
  void skipsLinesItCannotRead() {
    assertThat(Mounts.parse("")).isEmpty();
    assertThat(Mounts.parse("36 35 98:0 / /mnt rw no separator here")).isEmpty();
  }

  @Test
  void theLastOfStackedMountsAnswers() throws Exception {
    Path mountinfo = dir.resolve("mountinfo");
    Files.writeString(
        mountinfo,
        """
        21 1 8:1 / / rw - ext4 /dev/sda1 rw
        40 21 8:16 / /mnt/a rw - ext4 /dev/sdb rw
        41 40 8:32 / /mnt/a rw - xfs /dev/sdc rw
        """);
    Mounts mounts = new Mounts(mountinfo);

    assertThat(mounts.at(Path.of("/mnt/a")))
        .get()
        .extracting(Mounts.Mount::source)
        .isEqualTo("/dev/sdc");
    assertThat(mounts.isMountPoint(Path.of("/mnt/a/../a"))).isTrue();
    assertThat(mounts.isMountPoint(Path.of("/mnt"))).isFalse();
  }

  @Test
  void readsThisProcesssRealTable() throws Exception {
    assertThat(new Mounts(Mounts.PROC_SELF_MOUNTINFO).isMountPoint(Path.of("/"))).isTrue();
  }
}
