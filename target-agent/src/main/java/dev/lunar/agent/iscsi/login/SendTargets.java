package dev.lunar.agent.iscsi.login;

import dev.lunar.crds.api.v1alpha1.IscsiName;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers the SendTargets text key (RFC 7143 13.3, appendix C): a {@code TargetName} for each
 * target the initiator may use, each followed by a {@code TargetAddress} per portal. The value is
 * {@code All}, a target's iSCSI name, or empty for the session's own target; anything else is no
 * target name at all and is answered {@code SendTargets=Reject}, where an empty answer would say
 * that no target is visible.
 */
public final class SendTargets {

  private SendTargets() {}

  /**
   * @param value the key's value
   * @param sessionTarget the target of a Normal session, or null in a discovery session (where an
   *     empty value names nothing and is rejected)
   * @param portals every portal as {@code host:port,tpgt} (IPv6 hosts in brackets)
   * @return the response pairs; empty when nothing is visible
   */
  public static List<TextParameter> respond(
      String value,
      String sessionTarget,
      TargetDirectory dir,
      String initiatorName,
      InetAddress initiatorAddress,
      List<String> portals) {
    List<LoginTarget> candidates;
    if (value.equals("All")) {
      candidates = dir.all();
    } else if (value.isEmpty() && sessionTarget != null) {
      candidates = dir.find(sessionTarget).stream().toList();
    } else if (IscsiName.valid(value)) {
      candidates = dir.find(value).stream().toList();
    } else {
      return List.of(new TextParameter(TextKeys.SEND_TARGETS, TextKeys.REJECT));
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
