package dev.lunar.agent.control.model;

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
}
