package dev.lunar.agent.model;

import java.util.List;
import java.util.Map;

/**
 * One iSCSI target.
 *
 * @param tid the target id, 1 and up (tgt reserves 0)
 * @param iqn the target's iSCSI name
 * @param luns its disks, LUN 1 and up (LUN 0, the controller, is implicit)
 * @param initiatorAddresses ACL by address: IPs, CIDRs, or {@code ALL}; empty with no names means
 *     nobody may log in
 * @param initiatorNames ACL by initiator iSCSI name
 * @param incomingUsers CHAP accounts an initiator may authenticate as; empty means no CHAP
 * @param outgoingUser the account the target answers mutual CHAP with, or {@code null}
 * @param params negotiation overrides by RFC 7143 key name (for example MaxRecvDataSegmentLength)
 */
public record TargetSpec(
    int tid,
    String iqn,
    List<LunSpec> luns,
    List<String> initiatorAddresses,
    List<String> initiatorNames,
    List<String> incomingUsers,
    String outgoingUser,
    Map<String, String> params) {

  public TargetSpec {
    luns = List.copyOf(luns);
    initiatorAddresses = List.copyOf(initiatorAddresses);
    initiatorNames = List.copyOf(initiatorNames);
    incomingUsers = List.copyOf(incomingUsers);
    params = Map.copyOf(params);
  }

  /** A new target as tgtadm creates it: no LUNs, nobody allowed in, no CHAP, default parameters. */
  public static TargetSpec create(int tid, String iqn) {
    return new TargetSpec(tid, iqn, List.of(), List.of(), List.of(), List.of(), null, Map.of());
  }

  /** The LUN with this number, or {@code null}. */
  public LunSpec lunSpec(int lun) {
    return luns.stream().filter(l -> l.lun() == lun).findFirst().orElse(null);
  }

  public TargetSpec withLuns(List<LunSpec> newLuns) {
    return new TargetSpec(
        tid, iqn, newLuns, initiatorAddresses, initiatorNames, incomingUsers, outgoingUser, params);
  }

  public TargetSpec withInitiatorAddresses(List<String> newAddresses) {
    return new TargetSpec(
        tid, iqn, luns, newAddresses, initiatorNames, incomingUsers, outgoingUser, params);
  }

  public TargetSpec withInitiatorNames(List<String> newNames) {
    return new TargetSpec(
        tid, iqn, luns, initiatorAddresses, newNames, incomingUsers, outgoingUser, params);
  }

  public TargetSpec withIncomingUsers(List<String> newUsers) {
    return new TargetSpec(
        tid, iqn, luns, initiatorAddresses, initiatorNames, newUsers, outgoingUser, params);
  }

  public TargetSpec withOutgoingUser(String newOutgoingUser) {
    return new TargetSpec(
        tid, iqn, luns, initiatorAddresses, initiatorNames, incomingUsers, newOutgoingUser, params);
  }

  public TargetSpec withParams(Map<String, String> newParams) {
    return new TargetSpec(
        tid, iqn, luns, initiatorAddresses, initiatorNames, incomingUsers, outgoingUser, newParams);
  }
}
