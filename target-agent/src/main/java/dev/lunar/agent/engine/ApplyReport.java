package dev.lunar.agent.engine;

import java.util.List;

/** What {@link TargetEngine#apply} could not do; empty when everything was applied. */
public record ApplyReport(List<Problem> problems) {

  public ApplyReport {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }

  /** The problem for one LUN of one target, if any. */
  public Problem problemFor(int tid, int lun) {
    return problems.stream().filter(p -> p.tid() == tid && p.lun() == lun).findFirst().orElse(null);
  }

  /**
   * One object that was not applied.
   *
   * @param tid the target
   * @param lun the LUN, or -1 when the target itself failed
   * @param message what went wrong, for an operator to read
   */
  public record Problem(int tid, int lun, String message) {}
}
