package dev.lunar.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.model.AccountSpec;
import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Byte-for-byte comparisons with output captured from tgt 1.0.85 (see the fixtures' README). */
class ShowFormatterTest {

  private static final long MIB_100 = 104_857_600L;
  private static final long GIB_1 = 1_073_741_824L;

  static String fixture(String name) throws IOException {
    try (InputStream in = ShowFormatterTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The configuration the fixture was captured from, rebuilt as a spec. */
  static TargetSetSpec capturedSpec() {
    TargetSpec t1 =
        new TargetSpec(
            1,
            "iqn.2001-04.com.example:t1",
            List.of(LunSpec.tgtDefault(1, 1, "/tmp/tgtobs/disk1.img")),
            List.of("ALL", "192.168.1.0/24"),
            List.of("iqn.2007-10.com.example:perfclient"),
            List.of(),
            "bob",
            Map.of());
    TargetSpec t2 =
        new TargetSpec(
            2,
            "iqn.2001-04.com.example:t2",
            List.of(
                LunSpec.tgtDefault(2, 1, "/tmp/tgtobs/disk2.img"),
                LunSpec.tgtDefault(2, 3, "/tmp/tgtobs/disk1.img")
                    .withReadOnly(true)
                    .withThin(true)),
            List.of(),
            List.of(),
            List.of("alice"),
            null,
            Map.of());
    return new TargetSetSpec(
        List.of(t1, t2), List.of(new AccountSpec("alice", "s1"), new AccountSpec("bob", "s2")));
  }

  static FakeEngine capturedEngine() {
    FakeEngine engine = new FakeEngine();
    engine.sizes.put("/tmp/tgtobs/disk1.img", MIB_100);
    engine.sizes.put("/tmp/tgtobs/disk2.img", GIB_1);
    engine.apply(capturedSpec());
    engine.addSession(1, 2, "iqn.2007-10.com.example:perfclient", "127.0.0.1");
    engine.addSession(1, 3, "iqn.2007-10.com.example:perfclient", "127.0.0.1");
    return engine;
  }

  @Test
  void targetShowMatchesTgtdWithSessionsLunsAccountsAndAcls() throws IOException {
    FakeEngine engine = capturedEngine();
    assertThat(ShowFormatter.targets(capturedSpec(), engine.state()))
        .isEqualTo(fixture("tgtd-show-targets.txt"));
  }

  @Test
  void connShowListsNewestSessionFirstLikeTgtd() throws IOException {
    FakeEngine engine = capturedEngine();
    assertThat(ShowFormatter.connections(engine.state().getFirst()))
        .isEqualTo(fixture("tgtd-show-conn.txt"));
  }

  @Test
  void accountShowListsNamesNewestFirstAndNeverPasswords() throws IOException {
    String shown = ShowFormatter.accounts(capturedSpec());
    assertThat(shown).isEqualTo(fixture("tgtd-show-accounts.txt"));
    assertThat(shown).doesNotContain("s1").doesNotContain("s2");
  }

  @Test
  void sizesAreDecimalMegabytesRoundedAsTgtShowsThem() {
    assertThat(ShowFormatter.megabytes(MIB_100)).isEqualTo(105);
    assertThat(ShowFormatter.megabytes(GIB_1)).isEqualTo(1074);
    assertThat(ShowFormatter.megabytes(1L << 40)).isEqualTo(1_099_512);
    assertThat(ShowFormatter.megabytes(0)).isZero();
    // tgt's sector arithmetic, not plain rounding: 1.5 MB shows as 1 MB.
    assertThat(ShowFormatter.megabytes(1_500_000)).isEqualTo(1);
  }

  @Test
  void defaultScsiIdentifiersFollowTgt() {
    assertThat(LunSpec.defaultScsiId(1, 99999)).isEqualTo("IET     00011869f");
    assertThat(LunSpec.defaultScsiSerial(1, 16384)).isEqualTo("beaf116384");
  }

  @Test
  void targetParamsListTgtDefaultsWithOverrides() {
    TargetSpec target =
        TargetSpec.create(1, "iqn.x:y").withParams(Map.of("MaxRecvDataSegmentLength", "65536"));
    String shown = ShowFormatter.targetParams(target);
    assertThat(shown)
        .startsWith("nop_interval=0\nnop_count=0\nMaxRecvDataSegmentLength=65536\n")
        .endsWith("MaxXmitDataSegmentLength=8192\nMaxQueueCmd=128\n");
    assertThat(shown.lines()).hasSize(26);
  }
}
