package dev.lunar.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PortalAddressesTest {

  private static final Supplier<List<InetAddress>> NO_INTERFACES = List::of;

  @Test
  void aWildcardPortalIsReportedAsTheAddressesInHostIp() {
    List<String> portals =
        PortalAddresses.report(
            List.of(bound("0.0.0.0", 3260)),
            PortalAddresses.parseHostIps("10.1.2.3"),
            () -> {
              throw new AssertionError("interfaces are not needed when HOST_IP is set");
            });

    assertThat(portals).containsExactly("10.1.2.3:3260");
  }

  @Test
  void aDualStackHostIpGivesOnePortalPerFamilyOnAnIpv6Wildcard() {
    List<String> portals =
        PortalAddresses.report(
            List.of(bound("::", 3260)),
            PortalAddresses.parseHostIps(" 10.1.2.3 , fd00:0:0::0:7 "),
            NO_INTERFACES);

    assertThat(portals).containsExactly("10.1.2.3:3260", "[fd00::7]:3260");
  }

  @Test
  void anIpv4WildcardReportsOnlyIpv4Addresses() {
    List<String> portals =
        PortalAddresses.report(
            List.of(bound("0.0.0.0", 3260)),
            PortalAddresses.parseHostIps("fd00::7,10.1.2.3"),
            NO_INTERFACES);

    assertThat(portals).containsExactly("10.1.2.3:3260");
  }

  @Test
  void withoutHostIpAWildcardIsReportedAsTheInterfaceAddressesSortedWithoutLoopbackOrLinkLocal() {
    Supplier<List<InetAddress>> interfaces =
        () -> ips("192.168.1.20", "127.0.0.1", "fe80::1", "10.0.0.5", "::1", "2001:db8::5");

    assertThat(PortalAddresses.report(List.of(bound("0.0.0.0", 3260)), List.of(), interfaces))
        .containsExactly("10.0.0.5:3260", "192.168.1.20:3260");
    assertThat(PortalAddresses.report(List.of(bound("::", 3261)), List.of(), interfaces))
        .containsExactly("10.0.0.5:3261", "192.168.1.20:3261", "[2001:db8::5]:3261");
  }

  @Test
  void aHostWithOnlyLoopbackReportsLoopback() {
    assertThat(
            PortalAddresses.report(
                List.of(bound("0.0.0.0", 3260)), List.of(), () -> ips("127.0.0.1", "::1")))
        .containsExactly("127.0.0.1:3260");
  }

  @Test
  void aSpecificBoundAddressIsReportedAsIs() {
    List<String> portals =
        PortalAddresses.report(
            List.of(bound("127.0.0.1", 3260), bound("fd00::1", 3260)),
            PortalAddresses.parseHostIps("10.1.2.3"),
            NO_INTERFACES);

    assertThat(portals).containsExactly("127.0.0.1:3260", "[fd00::1]:3260");
  }

  @Test
  void twoWildcardsOnOnePortDoNotReportAnAddressTwice() {
    List<String> portals =
        PortalAddresses.report(
            List.of(bound("0.0.0.0", 3260), bound("::", 3260)),
            PortalAddresses.parseHostIps("10.1.2.3"),
            NO_INTERFACES);

    assertThat(portals).containsExactly("10.1.2.3:3260");
  }

  @Test
  void ipv6AddressesAreBracketedInTheirShortForm() {
    assertThat(PortalAddresses.format(ip("2001:db8:0:0:1:0:0:1"), 3260))
        .isEqualTo("[2001:db8::1:0:0:1]:3260");
    assertThat(PortalAddresses.format(ip("0:0:0:0:0:0:0:1"), 3260)).isEqualTo("[::1]:3260");
    assertThat(PortalAddresses.format(ip("fd00:0:0:0:0:0:0:0"), 1)).isEqualTo("[fd00::]:1");
    assertThat(PortalAddresses.format(ip("2001:db8:0:1:1:1:1:1"), 1))
        .isEqualTo("[2001:db8:0:1:1:1:1:1]:1");
    assertThat(PortalAddresses.format(ip("10.0.0.1"), 3260)).isEqualTo("10.0.0.1:3260");
  }

  @Test
  void hostIpEntriesThatAreNotAddressesAreSkippedAndNamesAreNeverResolved() {
    assertThat(PortalAddresses.parseHostIps("node-1.example.org, 10.1.2.3,, 999.1.1.1,0.0.0.0"))
        .containsExactly(ip("10.1.2.3"));
    assertThat(PortalAddresses.parseHostIps(null)).isEmpty();
    assertThat(PortalAddresses.parseHostIps("  ")).isEmpty();
  }

  private static InetSocketAddress bound(String host, int port) {
    return new InetSocketAddress(ip(host), port);
  }

  private static InetAddress ip(String literal) {
    return InetAddress.ofLiteral(literal);
  }

  private static List<InetAddress> ips(String... literals) {
    return java.util.Arrays.stream(literals).map(PortalAddressesTest::ip).toList();
  }
}
