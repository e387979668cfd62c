package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A torn or corrupt state file after a crash never goes unnoticed: the daemon starts from the last
 * good copy and says so loudly, or, with no good copy left, refuses to start with a message naming
 * both files and leaves them as they were for the administrator.
 */
class StateDirIT {

  private static final String IQN = "iqn.2026-11.dev.lunar.it:statedir";

  @TempDir Path dir;

  @Test
  void tornStateFileAfterAKillStartsFromThePreviousCopyWithAnError() throws Exception {
    Path disk = Disks.sparse(dir.resolve("disk.img"), 8L << 20);
    try (Daemon daemon = new Daemon(dir).start().exportDisk(IQN, disk)) {
      // exportDisk saved three times; the previous copy is the one before the ACL bind.
      daemon.kill9();
      Path state = daemon.stateDir().resolve("state.yaml");
      byte[] whole = Files.readAllBytes(state);
      Files.write(state, java.util.Arrays.copyOf(whole, whole.length / 2));

      daemon.start(daemon.port());

      String show = daemon.tgtadmOk("--lld", "iscsi", "--mode", "target", "--op", "show");
      assertThat(show).contains(IQN).contains(disk.toString());
      assertThat(daemon.logText())
          .contains("ERROR")
          .contains("state file unusable")
          .contains("state.yaml.prev");
    }
  }

  @Test
  void noUsableStateIsAClearStartupFailureThatKeepsBothFiles() throws Exception {
    Path disk = Disks.sparse(dir.resolve("disk.img"), 8L << 20);
    try (Daemon daemon = new Daemon(dir).start().exportDisk(IQN, disk)) {
      daemon.kill9();
      Path state = daemon.stateDir().resolve("state.yaml");
      Path previous = daemon.stateDir().resolve("state.yaml.prev");
      Files.writeString(state, "targets: [ {tid: 1, iqn: ");
      Files.writeString(previous, "\0\0\0\0");

      assertThatThrownBy(() -> daemon.start(daemon.port()))
          .hasMessageContaining("tgtd exited with 1")
          .hasMessageContaining("no usable state")
          .hasMessageContaining(state.toString())
          .hasMessageContaining(previous.toString());

      assertThat(Files.readString(state)).isEqualTo("targets: [ {tid: 1, iqn: ");
      assertThat(Files.readString(previous)).isEqualTo("\0\0\0\0");
    }
  }
}
