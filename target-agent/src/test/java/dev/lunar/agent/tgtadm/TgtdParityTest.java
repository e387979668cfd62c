package dev.lunar.agent.tgtadm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lunar.agent.control.ControlServer;
import dev.lunar.agent.control.ControlService;
import dev.lunar.agent.control.FakeEngine;
import dev.lunar.agent.control.StateStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays one tgtadm session against a private real tgtd (tgt 1.0.85, when installed and run as
 * root) and against this daemon's control service, and compares every answer: stdout, stderr and
 * status, except the {@link #INTENDED} differences. The engine here is the test fake, given the
 * real files' sizes; tgtd opens the files.
 */
class TgtdParityTest {

  private static final Path TGTD = Path.of("/usr/sbin/tgtd");
  private static final Path TGTADM = Path.of("/usr/sbin/tgtadm");

  @TempDir Path dir;

  private static final List<String> SESSION =
      List.of(
          "--lld iscsi --mode target --op show",
          "--lld iscsi --mode target --op new --tid 1 -T iqn.2001-04.com.example:t1",
          "--lld iscsi --mode target --op new --tid 1 -T iqn.2001-04.com.example:t1b",
          "--lld iscsi --mode target --op new --tid 2 -T iqn.2001-04.com.example:t1",
          "--lld iscsi --mode target --op new --tid 3 -T badname",
          "--lld iscsi --mode target --op delete --tid 3",
          "--lld iscsi --mode target --op show --tid 5",
          "--lld iscsi --mode logicalunit --op new --tid 1 --lun 1 -b DISK1",
          "--lld iscsi --mode logicalunit --op new --tid 1 --lun 1 -b DISK2",
          "--lld iscsi --mode logicalunit --op new --tid 1 --lun 0 -b DISK2",
          "--lld iscsi --mode logicalunit --op new --tid 1 --lun 2 -b DIR/missing.img",
          "--lld iscsi --mode logicalunit --op new --tid 1 --lun 4 -b DIR",
          "--lld iscsi --mode logicalunit --op new --tid 1 --lun 2",
          "--lld iscsi --mode logicalunit --op new --tid 9 --lun 2 -b DISK2",
          "--lld iscsi --mode logicalunit --op new --tid 1 --lun 99999 -b DISK2",
          "--lld iscsi --mode logicalunit --op new --tid 1 --lun 5 -b DISK1 -E rdwr -y 4096",
          "--lld iscsi --mode logicalunit --op delete --tid 1 --lun 7",
          "--lld iscsi --mode logicalunit --op delete --tid 1 --lun 0",
          "--lld iscsi --mode logicalunit --op delete --tid 1 --lun 5",
          "--lld iscsi --mode logicalunit --op update --tid 1 --lun 2 --params readonly=1",
          "--lld iscsi --mode logicalunit --op update --tid 1 --lun 2 --params"
              + " thin_provisioning=1,scsi_id=myid,scsi_sn=mysn,removable=1",
          "--lld iscsi --mode logicalunit --op update --tid 1 --lun 2 --params online=0",
          "--lld iscsi --mode logicalunit --op update --tid 1 --lun 2 --params bogus=1",
          "--lld iscsi --mode logicalunit --op update --tid 1 --lun 9 --params readonly=1",
          "--lld iscsi --mode target --op update --tid 1 --name MaxRecvDataSegmentLength"
              + " --value 65536",
          "--lld iscsi --mode target --op update --tid 1 --name Bogus --value 1",
          "--lld iscsi --mode target --op update --tid 1 --name nop_interval --value 5",
          "--lld iscsi --mode target --op update --tid 1 --name nop_count --value 3",
          "--lld iscsi --mode target --op update --tid 1 --name MaxBurstLength --value x",
          "--lld iscsi --mode target --op update --tid 1 --name HeaderDigest --value CRC32C",
          "--lld iscsi --mode target --op show --tid 1",
          "--lld iscsi --mode target --op show",
          "--lld iscsi --mode account --op new --user alice --password secret",
          "--lld iscsi --mode account --op new --user alice --password secret2",
          "--lld iscsi --mode account --op new --user bob --password pw",
          "--lld iscsi --mode account --op new --user carol --password pw",
          "--lld iscsi --mode account --op show",
          "--lld iscsi --mode account --op bind --tid 1 --user alice",
          "--lld iscsi --mode account --op bind --tid 1 --user alice",
          "--lld iscsi --mode account --op bind --tid 1 --user bob --outgoing",
          "--lld iscsi --mode account --op bind --tid 1 --user carol --outgoing",
          "--lld iscsi --mode account --op bind --tid 1 --user nobody",
          "--lld iscsi --mode account --op bind --tid 9 --user alice",
          "--lld iscsi --mode account --op unbind --tid 1 --user carol",
          "--lld iscsi --mode account --op unbind --tid 1 --user bob",
          "--lld iscsi --mode account --op delete --user carol",
          "--lld iscsi --mode account --op delete --user nobody",
          "--lld iscsi --mode target --op bind --tid 1 -I ALL",
          "--lld iscsi --mode target --op bind --tid 1 -I ALL",
          "--lld iscsi --mode target --op bind --tid 1 -I 10.0.0.1",
          "--lld iscsi --mode target --op bind --tid 1 -I 192.168.0.0/24",
          "--lld iscsi --mode target --op bind --tid 1 -Q iqn.1994-05.com.redhat:client1",
          "--lld iscsi --mode target --op bind --tid 1 -Q iqn.1994-05.com.redhat:client1",
          "--lld iscsi --mode target --op bind --tid 1 -Q client1",
          "--lld iscsi --mode target --op unbind --tid 1 -Q client1",
          "--lld iscsi --mode target --op bind --tid 9 -I ALL",
          "--lld iscsi --mode target --op unbind --tid 1 -I 1.2.3.4",
          "--lld iscsi --mode target --op unbind --tid 1 -I 10.0.0.1",
          "--lld iscsi --mode conn --op show --tid 1",
          "--lld iscsi --mode conn --op show",
          "--lld iscsi --mode conn --op delete --tid 1 --sid 1 --cid 0",
          "--lld iscsi --mode conn --op new --tid 1",
          "--lld iscsi --mode session --op show --tid 1",
          "--lld iscsi --mode target --op delete --tid 9",
          "--lld iscsi --mode system --op delete",
          "--lld foo --mode target --op show",
          "--lld iscsi --mode target --op update --tid 1 --name MaxRecvDataSegmentLength --value 0",
          "--lld iscsi --mode target --op update --tid 1 --name MaxRecvDataSegmentLength --value 511",
          "--lld iscsi --mode target --op update --tid 1 --name MaxRecvDataSegmentLength --value 16777216",
          "--lld iscsi --mode target --op update --tid 1 --name MaxRecvDataSegmentLength --value 16777215",
          "--lld iscsi --mode target --op update --tid 1 --name HeaderDigest --value bogus",
          "--lld iscsi --mode target --op update --tid 1 --name DataDigest --value CRC32C,None",
          "--lld iscsi --mode target --op update --tid 1 --name InitialR2T --value maybe",
          "--lld iscsi --mode target --op update --tid 1 --name InitialR2T --value No",
          "--lld iscsi --mode target --op update --tid 1 --name MaxConnections --value 0",
          "--lld iscsi --mode target --op update --tid 1 --name ErrorRecoveryLevel --value 3",
          "--lld iscsi --mode target --op update --tid 1 --name DefaultTime2Wait --value 3601",
          "--lld iscsi --mode target --op update --tid 1 --name FirstBurstLength --value 100",
          "--lld iscsi --mode target --op update --tid 1 --name MaxQueueCmd --value 513",
          "--lld iscsi --mode target --op update --tid 1 --name MaxQueueCmd --value 512",
          "--lld iscsi --mode target --op update --tid 1 --name nop_interval --value 5",
          "--lld iscsi --mode target --op update --tid 1 --name nop_count --value 3",
          "--lld iscsi --mode target --op show --tid 1",
          "--lld iscsi --mode logicalunit --op new --tid 1 --lun 11 -b DISK1 -y 1000",
          "--lld iscsi --mode logicalunit --op new --tid 1 --lun 13 -b DISK1 --bsoflags bogus",
          "--lld iscsi --mode logicalunit --op update --tid 1 --lun 1 --params readonly=0,",
          "--lld iscsi --mode logicalunit --op update --tid 1 --lun 1",
          "--lld iscsi --mode account --op bind --tid 1 --user alice --outgoing",
          "--lld iscsi --mode account --op unbind --tid 1 --user alice --outgoing",
          "--lld iscsi --mode account --op unbind --tid 1 --user bob --outgoing",
          "--lld iscsi --mode target --op show",
          "--lld iscsi --mode target --op show",
          "--lld iscsi --mode account --op delete --user alice",
          "--lld iscsi --mode target --op show",
          "--lld iscsi --mode target --op delete --tid 1",
          "--lld iscsi --mode target --op show",
          "--lld iscsi --mode account --op show");

  /**
   * The answers that differ on purpose, each where tgtd succeeds: Lunar refuses a target or
   * initiator name that is not an iSCSI name (RFC 7143 4.2.7), so what follows finds nothing to
   * remove. Each refused name is removed again at once, so the shows stay comparable.
   */
  private static final Map<String, TgtadmRuns.Result> INTENDED =
      Map.of(
          "--lld iscsi --mode target --op new --tid 3 -T badname",
          refused("invalid request"),
          "--lld iscsi --mode target --op delete --tid 3",
          refused("can't find the target"),
          "--lld iscsi --mode target --op bind --tid 1 -Q client1",
          refused("invalid request"),
          "--lld iscsi --mode target --op unbind --tid 1 -Q client1",
          refused("this access control rule does not exist"));

  private static TgtadmRuns.Result refused(String message) {
    return new TgtadmRuns.Result(22, "", "tgtadm: " + message + "\n");
  }

  @Test
  void aTgtadmSessionGetsTheSameAnswersFromBothDaemons() throws Exception {
    assumeTrue(Files.isExecutable(TGTD) && Files.isExecutable(TGTADM), "tgt is not installed");
    assumeTrue("root".equals(System.getProperty("user.name")), "tgtd needs root");
    // tgt's control ports stop at 32767; the iSCSI port is any free-looking high one.
    int port = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
    int iscsiPort = 40_000 + ThreadLocalRandom.current().nextInt(20_000);
    assumeTrue(!Files.exists(Path.of("/var/run/tgtd/socket." + port)), "control port in use");
    Path disk1 = sparseFile("disk1.img", 100L << 20);
    Path disk2 = sparseFile("disk2.img", 1L << 30);
    FakeEngine engine = new FakeEngine();
    engine.sizes.put(disk1.toString(), Files.size(disk1));
    engine.sizes.put(disk2.toString(), Files.size(disk2));
    Path controlDir = dir.resolve("run");
    Process tgtd =
        new ProcessBuilder(
                TGTD.toString(), "-f", "-C", "" + port, "--iscsi", "portal=127.0.0.1:" + iscsiPort)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("tgtd.log").toFile())
            .start();
    ControlService service = new ControlService(engine, StateStore.none(), () -> {});
    try (ControlServer ignored = ControlServer.start(controlDir, port, service)) {
      awaitTgtd(port, tgtd, dir.resolve("tgtd.log"));
      for (String template : SESSION) {
        String line =
            template
                .replace("DISK1", disk1.toString())
                .replace("DISK2", disk2.toString())
                .replace("DIR", dir.toString());
        List<String> args = new ArrayList<>(List.of("-C", "" + port));
        args.addAll(List.of(line.split(" ")));
        TgtadmRuns.Result real = TgtadmRuns.real(args);
        TgtadmRuns.Result ours = TgtadmRuns.ours(args, controlDir);
        if (INTENDED.containsKey(template)) {
          assertThat(real.status()).as("tgtd accepts " + line).isZero();
          assertThat(ours).as(line).isEqualTo(INTENDED.get(template));
        } else {
          assertThat(ours).as(line).isEqualTo(real);
        }
      }
    } finally {
      TgtadmRuns.real(List.of("-C", "" + port, "--mode", "system", "--op", "delete", "--force"));
      if (!tgtd.waitFor(5, TimeUnit.SECONDS)) {
        tgtd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(Path.of("/var/run/tgtd/socket." + port));
      Files.deleteIfExists(Path.of("/var/run/tgtd/socket." + port + ".lock"));
    }
  }

  private Path sparseFile(String name, long size) throws IOException {
    Path file = dir.resolve(name);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
    }
    return file;
  }

  private static void awaitTgtd(int port, Process tgtd, Path log) throws Exception {
    for (int i = 0; i < 150 && tgtd.isAlive(); i++) {
      if (TgtadmRuns.real(List.of("-C", "" + port, "--mode", "system", "--op", "show")).status()
          == 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "tgtd did not start on control port " + port + ": " + Files.readString(log));
  }
}
