package dev.lunar.agent.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessControlTest {

  private static final String IQN = "iqn.2026-01.dev.lunar:host1";

  private static LoginTarget target(List<String> addresses, List<String> names) {
    return new LoginTarget(
        1, "iqn.2026-01.dev.lunar:t1", null, addresses, names, Map.of(), null, Map.of(), 1);
  }

  private static InetAddress ip(String literal) {
    return InetAddress.ofLiteral(literal);
  }

  @Test
  void aTargetWithoutBindingsRefusesEveryone() {
    assertThat(AccessControl.permits(target(List.of(), List.of()), IQN, ip("10.0.0.1"))).isFalse();
  }

  @Test
  void allAdmitsEveryAddress() {
    var t = target(List.of("ALL"), List.of());
    assertThat(AccessControl.permits(t, IQN, ip("192.0.2.9"))).isTrue();
    assertThat(AccessControl.permits(t, IQN, ip("2001:db8::1"))).isTrue();
  }

  @Test
  void matchesExactAddressesAndIpv4Cidrs() {
    assertThat(AccessControl.addressMatches("192.0.2.7", ip("192.0.2.7"))).isTrue();
    assertThat(AccessControl.addressMatches("192.0.2.7", ip("192.0.2.8"))).isFalse();
    assertThat(AccessControl.addressMatches("10.0.0.0/8", ip("10.200.3.4"))).isTrue();
    assertThat(AccessControl.addressMatches("10.0.0.0/8", ip("11.0.0.1"))).isFalse();
    assertThat(AccessControl.addressMatches("192.168.1.128/25", ip("192.168.1.200"))).isTrue();
    assertThat(AccessControl.addressMatches("192.168.1.128/25", ip("192.168.1.100"))).isFalse();
    assertThat(AccessControl.addressMatches("0.0.0.0/0", ip("8.8.8.8"))).isTrue();
  }

  @Test
  void matchesIpv6CidrsWithOrWithoutBrackets() {
    assertThat(AccessControl.addressMatches("fd00::/64", ip("fd00::1234"))).isTrue();
    assertThat(AccessControl.addressMatches("[fd00::]/64", ip("fd00:0:0:1::1"))).isFalse();
    assertThat(AccessControl.addressMatches("[2001:db8::1]", ip("2001:db8::1"))).isTrue();
    assertThat(AccessControl.addressMatches("2001:db8::/32", ip("192.0.2.1"))).isFalse();
  }

  @Test
  void ipv4MappedIpv6MatchesIpv4Rules() throws Exception {
    InetAddress mapped =
        InetAddress.getByAddress(
            new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3});
    assertThat(AccessControl.addressMatches("10.0.0.0/8", mapped)).isTrue();
  }

  @Test
  void malformedEntriesMatchNothing() {
    for (String bad : List.of("", "host.example.com", "10.0.0.0/33", "10.0.0.0/x", "[::1")) {
      assertThat(AccessControl.addressMatches(bad, ip("10.0.0.1"))).as(bad).isFalse();
    }
  }

  @Test
  void namesMatchWithoutCase() {
    var t = target(List.of(), List.of("IQN.2026-01.dev.lunar:Host1"));
    assertThat(AccessControl.permits(t, IQN, ip("10.0.0.1"))).isTrue();
    assertThat(AccessControl.permits(t, "iqn.2026-01.dev.lunar:host2", ip("10.0.0.1"))).isFalse();
  }

  @Test
  void bothListsMustMatchWhenBothAreSet() {
    var t = target(List.of("10.0.0.0/8"), List.of(IQN));
    assertThat(AccessControl.permits(t, IQN, ip("10.0.0.1"))).isTrue();
    assertThat(AccessControl.permits(t, IQN, ip("192.0.2.1"))).isFalse();
    assertThat(AccessControl.permits(t, "iqn.other", ip("10.0.0.1"))).isFalse();
  }
}
