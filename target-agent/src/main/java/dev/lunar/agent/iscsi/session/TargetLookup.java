package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.target.LiveTarget;

/** How sessions find the current state of their target; the engine answers. */
public interface TargetLookup {

  /** The live target with this tid, or {@code null} when it is gone. */
  LiveTarget target(int tid);
}
