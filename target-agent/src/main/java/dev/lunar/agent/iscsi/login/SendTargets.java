package dev.lunar.agent.iscsi.login;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers the SendTargets text key (RFC 7143 13.3, appendix C): a {@code TargetName} for each
 * target the initiator may use, each followed by a {@code TargetAddress} per portal.
 */
public final class SendTargets {

  private SendTargets() {}

  /**
   * @param value the key's value: {@code All}, or one target name
   * @param portals every portal as {@code host:port,tpgt} (IPv6 hosts in brackets)
   * @return the response pairs; empty when nothing is visible (an empty value is the caller's to
   *     resolve: in a Normal session it means the session's own target)
   */
  public static List<TextParameter> respond(
      String value,
      TargetDirectory dir,
      String initiatorName,
      InetAddress initiatorAddress,
      List<String> portals) {
    List<LoginTarget> candidates;
    if (value.equals("All")) {
      candidates = dir.all();
    } else if (value.isEmpty()) {
      candidates = List.of();
    } else {
      candidates = dir.find(value).stream().toList();
    }
    List<TextParameter> out = new ArrayList<>();
    for (LoginTarget t : candidates) {
      if (!AccessControl.permits(t, initiatorName, initiatorAddress)) {
        continue;
      }
      out.add(new TextParameter("TargetName", t.iqn()));
      for (String portal : portals) {
        out.add(new TextParameter("TargetAddress", portal));
      }
    }
    return out;
  }
}
