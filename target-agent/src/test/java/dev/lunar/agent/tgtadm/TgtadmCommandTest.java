package dev.lunar.agent.tgtadm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.control.ControlServer;
import dev.lunar.agent.control.ControlService;
import dev.lunar.agent.control.FakeEngine;
import dev.lunar.agent.control.StateStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tgtadm end to end: command line, control socket, daemon service, printed answer, status. */
class TgtadmCommandTest {

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int tgtadm(String line) {
    out.reset();
    err.reset();
    return TgtadmCommand.run(
        line.split(" "),
        dir,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void withoutADaemonTgtadmSaysWhatTgtSaysAndExits107() {
    assertThat(tgtadm("-C 17 --lld iscsi --mode target --op show")).isEqualTo(107);
    assertThat(stderr())
        .isEqualTo(
            "tgtadm: failed to send request hdr to tgt daemon, Transport endpoint is not"
                + " connected\n");
  }

  @Test
  void classicTutorialSequenceWorks() throws IOException {
    FakeEngine engine = new FakeEngine();
    engine.sizes.put("/srv/disk.img", 104_857_600L);
    ControlService service = new ControlService(engine, StateStore.none(), () -> {});
    try (ControlServer server = ControlServer.start(dir, 17, service)) {
      String c = "-C 17 --lld iscsi ";
      assertThat(tgtadm(c + "--mode target --op new --tid 1 -T iqn.2001-04.com.example:t1"))
          .isZero();
      assertThat(tgtadm(c + "--mode logicalunit --op new --tid 1 --lun 1 -b /srv/disk.img"))
          .isZero();
      assertThat(tgtadm(c + "--mode target --op bind --tid 1 -I ALL")).isZero();
      assertThat(tgtadm(c + "--mode target --op show")).isZero();
      assertThat(stdout())
          .contains("            Size: 105 MB, Block size: 512\n")
          .contains("            Backing store path: /srv/disk.img\n")
          .endsWith("    ACL information:\n        ALL\n");
      assertThat(tgtadm(c + "--mode target --op new --tid 1 -T iqn.2001-04.com.example:t1b"))
          .isEqualTo(22);
      assertThat(stderr()).isEqualTo("tgtadm: this target already exists\n");
      assertThat(tgtadm(c + "--mode logicalunit --op new --tid 1 --lun 2 -b /srv/missing.img"))
          .isEqualTo(22);
      assertThat(stderr()).isEqualTo("tgtadm: invalid request\n");
      assertThat(tgtadm("-C 17 --lld foo --mode target --op show")).isEqualTo(22);
      assertThat(stderr()).isEqualTo("tgtadm: can't find the driver\n");
    }
  }

  @Test
  void systemDeleteStopsTheDaemonAndWaitsForIt() throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    ControlServer[] server = new ControlServer[1];
    ControlService service =
        new ControlService(
            new FakeEngine(),
            StateStore.none(),
            () -> {
              try {
                server[0].close();
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
              stopped.countDown();
            });
    server[0] = ControlServer.start(dir, 4, service);
    assertThat(tgtadm("-C 4 --mode system --op delete --force")).isZero();
    assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(tgtadm("-C 4 --mode target --op show")).isEqualTo(107);
  }
}
