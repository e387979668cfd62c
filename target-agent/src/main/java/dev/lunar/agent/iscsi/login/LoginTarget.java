package dev.lunar.agent.iscsi.login;

import dev.lunar.agent.model.AccountSpec;
import java.util.List;
import java.util.Map;

/**
 * What login needs to know of one target. {@link #toString} shows user names only, never secrets.
 *
 * @param tid the target id
 * @param iqn the target's iSCSI name
 * @param alias the TargetAlias to announce, or null
 * @param initiatorAddresses ACL by address: IPs, CIDRs or {@code ALL}
 * @param initiatorNames ACL by initiator name
 * @param incomingSecrets CHAP user to secret; non-empty means CHAP is required
 * @param outgoing the account for mutual CHAP, or null
 * @param params negotiation overrides by RFC key name, see {@link TargetOffer#withOverrides}
 * @param portalGroupTag the TargetPortalGroupTag to announce
 */
public record LoginTarget(
    int tid,
    String iqn,
    String alias,
    List<String> initiatorAddresses,
    List<String> initiatorNames,
    Map<String, String> incomingSecrets,
    AccountSpec outgoing,
    Map<String, String> params,
    int portalGroupTag) {

  public LoginTarget {
    initiatorAddresses = List.copyOf(initiatorAddresses);
    initiatorNames = List.copyOf(initiatorNames);
    incomingSecrets = Map.copyOf(incomingSecrets);
    params = Map.copyOf(params);
  }

  /** Whether initiators must authenticate with CHAP. */
  public boolean requiresChap() {
    return !incomingSecrets.isEmpty();
  }

  @Override
  public String toString() {
    return "LoginTarget[tid="
        + tid
        + ", iqn="
        + iqn
        + ", addresses="
        + initiatorAddresses
        + ", names="
        + initiatorNames
        + ", incomingUsers="
        + incomingSecrets.keySet()
        + ", outgoingUser="
        + (outgoing == null ? null : outgoing.user())
        + ", tpgt="
        + portalGroupTag
        + "]";
  }
}
