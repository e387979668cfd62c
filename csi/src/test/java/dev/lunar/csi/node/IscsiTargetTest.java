package dev.lunar.csi.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IscsiTargetTest {

  private static final String IQN = "iqn.2026-12.dev.lunar:pvc-1";

  @Test
  void portalWithPortNamesTheByPathLinkAsUdevDoes() {
    IscsiTarget target = IscsiTarget.parse("10.0.0.5:3261", IQN);

    assertThat(target.portal()).isEqualTo("10.0.0.5:3261");
    assertThat(target.byPathName(1))
        .isEqualTo("ip-10.0.0.5:3261-iscsi-iqn.2026-12.dev.lunar:pvc-1-lun-1");
  }

  @Test
  void portalWithoutPortMeansTheIscsiPort() {
    assertThat(IscsiTarget.parse("10.0.0.5", IQN).portal()).isEqualTo("10.0.0.5:3260");
  }

  @Test
  void ipv6PortalsTakeBracketsForIscsiadmButNotInTheLink() {
    IscsiTarget target = IscsiTarget.parse("[fd00::5]:3260", IQN);

    assertThat(target.portal()).isEqualTo("[fd00:0:0:0:0:0:0:5]:3260");
    assertThat(target.byPathName(0)).startsWith("ip-fd00:0:0:0:0:0:0:5:3260-iscsi-");
  }

  @Test
  void aHostNameIsResolvedToTheAddressUdevWillName() {
    assertThat(IscsiTarget.parse("localhost:3260", IQN).address())
        .isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
  }

  @Test
  void malformedPortalsAndNamesAreRefused() {
    for (String portal : new String[] {"", "10.0.0.5:", "10.0.0.5:99999", "fd00::5", "[fd00::5"}) {
      assertThatThrownBy(() -> IscsiTarget.parse(portal, IQN))
          .as(portal)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> IscsiTarget.parse("10.0.0.5", "iqn with space"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equalPortalsSpelledDifferentlyAreOneTarget() {
    assertThat(IscsiTarget.parse("10.0.0.5", IQN))
        .isEqualTo(IscsiTarget.parse("10.0.0.5:3260", IQN));
  }
}
