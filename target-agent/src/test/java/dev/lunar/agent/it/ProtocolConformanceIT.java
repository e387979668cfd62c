package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.testing.ProcessResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** libiscsi's iscsi-test-cu, iSCSI protocol families, against the daemon. */
class ProtocolConformanceIT {

  private static final String IQN = "iqn.2026-11.dev.lunar.it:conformance";
  private static final Pattern SUMMARY =
      Pattern.compile("tests\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)");

  @TempDir static Path dir;
  private static Daemon daemon;

  @BeforeAll
  static void startDaemon() {
    Path disk = Disks.sparse(dir.resolve("disk.img"), 64L << 20);
    daemon = new Daemon(dir).start().exportDisk(IQN, disk);
  }

  @AfterAll
  static void stopDaemon() {
    if (daemon != null) {
      daemon.close();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"iSCSI.iSCSIcmdsn", "iSCSI.iSCSIdatasn", "iSCSI.iSCSIResiduals", "iSCSI.iSCSITMF"})
  void familyPasses(String family) {
    String url = Initiator.url(daemon.portal(), IQN, 1, null, null);
    ProcessResult result =
        Initiator.testCu(Duration.ofMinutes(5), "--test=" + family, "--dataloss", url);

    Matcher summary = SUMMARY.matcher(result.stdout());
    assertThat(summary.find()).as("CUnit summary line in:\n" + result).isTrue();
    System.out.println(family + ": " + summary.group(0));
    int ran = Integer.parseInt(summary.group(2));
    int failed = Integer.parseInt(summary.group(4));
    assertThat(ran).as(result.toString()).isPositive();
    assertThat(failed).as(result.toString()).isZero();
    assertThat(result.stdout()).doesNotContain("...FAILED");
  }
}
