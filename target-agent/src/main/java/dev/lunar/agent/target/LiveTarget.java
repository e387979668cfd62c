package dev.lunar.agent.target;

import dev.lunar.agent.iscsi.login.LoginTarget;
import dev.lunar.agent.model.AccountSpec;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.agent.scsi.LogicalUnit;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One target as the engine serves it: its spec and its open logical units (LUN 0, the controller,
 * included). Immutable: the engine swaps in a new instance when the spec changes, so a session
 * always sees a consistent set of units.
 */
public final class LiveTarget {

  private final TargetSpec spec;
  private final SortedMap<Integer, LogicalUnit> units;
  private final Map<String, String> incomingSecrets;
  private final String outgoingUser;
  private final String outgoingSecret;

  /**
   * @param incomingSecrets CHAP secrets of the accounts bound to the target, by user name
   * @param outgoingUser the account mutual CHAP answers with, or {@code null}
   * @param outgoingSecret its secret, or {@code null}
   */
  public LiveTarget(
      TargetSpec spec,
      SortedMap<Integer, LogicalUnit> units,
      Map<String, String> incomingSecrets,
      String outgoingUser,
      String outgoingSecret) {
    this.spec = spec;
    this.units = new TreeMap<>(units);
    this.incomingSecrets = Map.copyOf(incomingSecrets);
    this.outgoingUser = outgoingUser;
    this.outgoingSecret = outgoingSecret;
  }

  public int tid() {
    return spec.tid();
  }

  public String iqn() {
    return spec.iqn();
  }

  public TargetSpec spec() {
    return spec;
  }

  /** The unit for a LUN, or {@code null} when the target has none by that number. */
  public LogicalUnit unit(int lun) {
    return units.get(lun);
  }

  /** Every unit, LUN 0 first. */
  public Iterable<LogicalUnit> units() {
    return units.values();
  }

  /** The LUN numbers REPORT LUNS lists, ascending. */
  public int[] lunNumbers() {
    return units.keySet().stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The target as login and discovery see it: name, ACL, CHAP accounts and negotiation overrides.
   * The secrets leave this class only this way, into the login that checks them.
   */
  public LoginTarget loginTarget(int portalGroupTag) {
    AccountSpec outgoing =
        outgoingUser == null ? null : new AccountSpec(outgoingUser, outgoingSecret);
    return new LoginTarget(
        tid(),
        iqn(),
        null,
        spec.initiatorAddresses(),
        spec.initiatorNames(),
        incomingSecrets,
        outgoing,
        spec.params(),
        portalGroupTag);
  }

  @Override
  public String toString() {
    return "LiveTarget[tid=" + tid() + ", iqn=" + iqn() + ", luns=" + units.keySet() + "]";
  }
}
