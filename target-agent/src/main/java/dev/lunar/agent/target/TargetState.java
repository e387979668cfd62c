package dev.lunar.agent.target;

import java.util.List;

/**
 * One live target as the engine sees it, for tgtadm {@code show} and the node status.
 *
 * @param tid target id
 * @param iqn target name
 * @param sessions live sessions (tgt calls each an I_T nexus)
 * @param luns live logical units, LUN 0 (the controller) first
 */
public record TargetState(int tid, String iqn, List<SessionState> sessions, List<LunState> luns) {

  /**
   * One session.
   *
   * @param sessionId the I_T nexus id shown by tgtadm and used by {@code --op delete --sid}
   * @param initiatorName the initiator's iSCSI name
   * @param initiatorAlias its InitiatorAlias, or {@code null}
   * @param isid the initiator session id
   * @param connections the session's connections
   */
  public record SessionState(
      long sessionId,
      String initiatorName,
      String initiatorAlias,
      long isid,
      List<ConnectionState> connections) {}

  /** One TCP connection of a session. */
  public record ConnectionState(int connectionId, String remoteAddress) {}

  /** One logical unit. */
  public record LunState(int lun, long sizeBytes, int blockSize, boolean online) {}
}
