package dev.lunar.agent.engine;

import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.target.TargetState;
import java.util.List;

/**
 * The live target set. Every configuration front (tgtadm, the YAML file, the Kubernetes IscsiNode)
 * hands it a complete {@link TargetSetSpec}; it opens, keeps or closes targets and logical units to
 * match and reports what it could not apply.
 */
public interface TargetEngine {

  /**
   * Makes the live set match {@code desired}. Idempotent: applying the same spec twice changes
   * nothing and keeps sessions and open backing stores. A target or LUN that cannot be brought up
   * (missing backing store, say) is left out and reported; the rest is applied.
   */
  ApplyReport apply(TargetSetSpec desired);

  /**
   * Applies configuration persisted before this process started (state dir, config file). The same
   * as {@link #apply}, except that units come back without a POWER ON unit attention: a daemon
   * restart is not a power cycle of the disks, and initiators reconnecting mid-I/O carry on.
   */
  default ApplyReport restore(TargetSetSpec persisted) {
    return apply(persisted);
  }

  /** What is live now: targets, their LUNs and their sessions. */
  List<TargetState> state();

  /** Ends one session (tgtadm {@code --mode conn --op delete --sid N}); false if there is none. */
  boolean closeSession(int tid, long sessionId);

  /** Ends one connection of a session; false if there is none. */
  boolean closeConnection(int tid, long sessionId, int connectionId);
}
