package dev.lunar.agent.iscsi.login;

import static dev.lunar.agent.iscsi.login.TestKeys.keys;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SendTargetsTest {

  private static final String INITIATOR = "iqn.2026-01.dev.lunar:host1";
  private static final InetAddress FROM = InetAddress.ofLiteral("10.0.0.5");
  private static final List<String> PORTALS = List.of("10.0.0.1:3260,1", "[fd00::1]:3260,1");

  private static LoginTarget target(int tid, String iqn, List<String> addresses) {
    return new LoginTarget(tid, iqn, null, addresses, List.of(), Map.of(), null, Map.of(), 1);
  }

  private final TargetDirectory dir =
      new InMemoryDirectory(
          target(1, "iqn.2026-01.dev.lunar:t1", List.of("ALL")),
          target(2, "iqn.2026-01.dev.lunar:t2", List.of("192.0.2.0/24")),
          target(3, "iqn.2026-01.dev.lunar:t3", List.of("10.0.0.0/8")));

  private List<TextParameter> respond(String value, String sessionTarget) {
    return SendTargets.respond(value, sessionTarget, dir, INITIATOR, FROM, PORTALS);
  }

  @Test
  void allListsEveryPermittedTargetWithEachPortal() {
    assertThat(respond("All", null))
        .containsExactlyElementsOf(
            keys(
                "TargetName=iqn.2026-01.dev.lunar:t1",
                "TargetAddress=10.0.0.1:3260,1",
                "TargetAddress=[fd00::1]:3260,1",
                "TargetName=iqn.2026-01.dev.lunar:t3",
                "TargetAddress=10.0.0.1:3260,1",
                "TargetAddress=[fd00::1]:3260,1"));
  }

  @Test
  void aNameListsOnlyThatTargetWhenPermitted() {
    assertThat(respond("iqn.2026-01.dev.lunar:t3", null)).hasSize(3);
    assertThat(respond("iqn.2026-01.dev.lunar:t2", null)).isEmpty();
    assertThat(respond("iqn.2026-01.dev.lunar:nope", null)).isEmpty();
  }

  @Test
  void anEmptyValueNamesTheSessionsTargetAndNothingInDiscovery() {
    assertThat(respond("", "iqn.2026-01.dev.lunar:t3")).hasSize(3);
    assertThat(respond("", "iqn.2026-01.dev.lunar:t2")).isEmpty();
    assertThat(respond("", null)).containsExactlyElementsOf(keys("SendTargets=Reject"));
  }

  @Test
  void aValueThatIsNeitherAllNorAnIscsiNameIsRejected() {
    for (String value : List.of("Alle", "all", "iqn.t3", " All")) {
      assertThat(respond(value, "iqn.2026-01.dev.lunar:t3"))
          .as(value)
          .containsExactlyElementsOf(keys("SendTargets=Reject"));
    }
  }
}
