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
          target(1, "iqn.t1", List.of("ALL")),
          target(2, "iqn.t2", List.of("192.0.2.0/24")),
          target(3, "iqn.t3", List.of("10.0.0.0/8")));

  @Test
  void allListsEveryPermittedTargetWithEachPortal() {
    assertThat(SendTargets.respond("All", dir, INITIATOR, FROM, PORTALS))
        .containsExactlyElementsOf(
            keys(
                "TargetName=iqn.t1",
                "TargetAddress=10.0.0.1:3260,1",
                "TargetAddress=[fd00::1]:3260,1",
                "TargetName=iqn.t3",
                "TargetAddress=10.0.0.1:3260,1",
                "TargetAddress=[fd00::1]:3260,1"));
  }

  @Test
  void aNameListsOnlyThatTargetWhenPermitted() {
    assertThat(SendTargets.respond("iqn.t3", dir, INITIATOR, FROM, PORTALS)).hasSize(3);
    assertThat(SendTargets.respond("iqn.t2", dir, INITIATOR, FROM, PORTALS)).isEmpty();
    assertThat(SendTargets.respond("iqn.nope", dir, INITIATOR, FROM, PORTALS)).isEmpty();
    assertThat(SendTargets.respond("", dir, INITIATOR, FROM, PORTALS)).isEmpty();
  }
}
