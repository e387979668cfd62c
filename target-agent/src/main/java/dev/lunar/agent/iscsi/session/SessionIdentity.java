package dev.lunar.agent.iscsi.session;

/**
 * Who a session belongs to. Two logins with the same initiator name, ISID and target name are the
 * same session (RFC 7143 section 6.3.5: a new one reinstates the old).
 *
 * @param initiatorName the InitiatorName key
 * @param initiatorAlias the InitiatorAlias key, or {@code null}
 * @param isid the initiator session id from the login PDU
 * @param targetName the target, or {@code null} for a discovery session
 * @param tid the target id, or 0 for a discovery session
 */
public record SessionIdentity(
    String initiatorName, String initiatorAlias, long isid, String targetName, int tid) {

  boolean sameNexus(SessionIdentity other) {
    return initiatorName.equals(other.initiatorName)
        && isid == other.isid
        && java.util.Objects.equals(targetName, other.targetName);
  }
}
