package dev.lunar.agent.scsi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The copy manager's held results (SPC-4 6.18): the outcome of each EXTENDED COPY whose list
 * identifier the initiator asked to keep, per initiator port, for RECEIVE COPY RESULTS.
 */
final class CopyResults {

  /** How one copy ended. */
  record Outcome(boolean good, int segmentsProcessed, long bytesTransferred) {}

  private record Key(String initiatorPort, int listId) {}

  /** Bounds memory: an initiator cycling list identifiers cannot grow the map without limit. */
  static final int MAX_HELD = 1024;

  private final Map<Key, Outcome> held = new ConcurrentHashMap<>();

  void hold(Nexus nexus, int listId, Outcome outcome) {
    if (held.size() >= MAX_HELD) {
      held.clear();
    }
    held.put(new Key(nexus.initiatorPortName(), listId), outcome);
  }

  /** The held outcome, or {@code null} when none is kept for this nexus and list. */
  Outcome find(Nexus nexus, int listId) {
    return held.get(new Key(nexus.initiatorPortName(), listId));
  }

  void forget(Nexus nexus) {
    String port = nexus.initiatorPortName();
    held.keySet().removeIf(key -> key.initiatorPort().equals(port));
  }
}
