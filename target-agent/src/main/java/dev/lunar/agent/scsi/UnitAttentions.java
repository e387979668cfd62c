package dev.lunar.agent.scsi;

import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Unit attention conditions pending per I_T nexus (SAM-5 5.14, SPC-4 5.14). A nexus seen for the
 * first time starts with POWER ON, RESET: the initiator learns the unit may have changed while it
 * was away. Thread-safe: commands from many nexuses run at once.
 */
final class UnitAttentions {

  private final ConcurrentHashMap<Nexus, Queue<SenseCode>> pending = new ConcurrentHashMap<>();
  private final boolean powerOnForNewNexus;

  /**
   * @param powerOnForNewNexus whether a nexus seen for the first time starts with POWER ON, RESET
   *     (false for a unit restored after a daemon restart, see {@link LunContext#restored})
   */
  UnitAttentions(boolean powerOnForNewNexus) {
    this.powerOnForNewNexus = powerOnForNewNexus;
  }

  private Queue<SenseCode> queue(Nexus nexus) {
    return pending.computeIfAbsent(
        nexus,
        n -> {
          Queue<SenseCode> q = new ConcurrentLinkedQueue<>();
          if (powerOnForNewNexus) {
            q.add(SenseCode.POWER_ON_RESET);
          }
          return q;
        });
  }

  /** Registers the nexus if new, without reporting anything. */
  void touch(Nexus nexus) {
    queue(nexus);
  }

  /** Removes and returns the oldest pending condition, or {@code null}. */
  SenseCode take(Nexus nexus) {
    return queue(nexus).poll();
  }

  /** A reset supersedes whatever was pending: every nexus now sees only the reset. */
  void reset() {
    for (Queue<SenseCode> q : pending.values()) {
      q.clear();
      q.add(SenseCode.POWER_ON_RESET);
    }
  }

  /** Raises a condition for every nexus except {@code origin} (for example mode parameters). */
  void raiseForOthers(Nexus origin, SenseCode code) {
    pending.forEach(
        (nexus, q) -> {
          if (!nexus.equals(origin) && !q.contains(code)) {
            q.add(code);
          }
        });
  }

  /** Raises a condition for one nexus. */
  void raise(Nexus nexus, SenseCode code) {
    Queue<SenseCode> q = queue(nexus);
    if (!q.contains(code)) {
      q.add(code);
    }
  }

  /** Raises a condition for every nexus. */
  void raiseForAll(SenseCode code) {
    raiseForOthers(null, code);
  }

  void forget(Nexus nexus) {
    pending.remove(nexus);
  }
}
