package dev.lunar.agent.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The complete desired configuration of one daemon: every target and every account. tgtadm, the
 * YAML config file and the Kubernetes IscsiNode all produce this one model; the engine applies it
 * idempotently and never knows which of them spoke.
 *
 * @param targets the targets, ordered by tid
 * @param accounts the CHAP accounts known to the daemon; targets bind them by user name
 */
public record TargetSetSpec(List<TargetSpec> targets, List<AccountSpec> accounts) {

  public TargetSetSpec {
    targets = List.copyOf(targets);
    accounts = List.copyOf(accounts);
  }

  public static TargetSetSpec empty() {
    return new TargetSetSpec(List.of(), List.of());
  }

  /** The target with this tid, or {@code null}. */
  public TargetSpec target(int tid) {
    return targets.stream().filter(t -> t.tid() == tid).findFirst().orElse(null);
  }

  /** The account with this user name, or {@code null}. */
  public AccountSpec account(String user) {
    return accounts.stream().filter(a -> a.user().equals(user)).findFirst().orElse(null);
  }

  /** This set with {@code target} added or replacing the one with its tid, kept ordered by tid. */
  public TargetSetSpec withTarget(TargetSpec target) {
    List<TargetSpec> next = new ArrayList<>(targets);
    next.removeIf(t -> t.tid() == target.tid());
    next.add(target);
    next.sort(Comparator.comparingInt(TargetSpec::tid));
    return new TargetSetSpec(next, accounts);
  }

  /** This set without the target {@code tid}. */
  public TargetSetSpec withoutTarget(int tid) {
    List<TargetSpec> next = new ArrayList<>(targets);
    next.removeIf(t -> t.tid() == tid);
    return new TargetSetSpec(next, accounts);
  }

  public TargetSetSpec withAccounts(List<AccountSpec> newAccounts) {
    return new TargetSetSpec(targets, newAccounts);
  }

  public TargetSetSpec withTargets(List<TargetSpec> newTargets) {
    return new TargetSetSpec(newTargets, accounts);
  }
}
