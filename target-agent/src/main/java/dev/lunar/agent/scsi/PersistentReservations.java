package dev.lunar.agent.scsi;

import static dev.lunar.agent.scsi.Opcodes.INQUIRY;
import static dev.lunar.agent.scsi.Opcodes.MAINTENANCE_IN;
import static dev.lunar.agent.scsi.Opcodes.MODE_SENSE_10;
import static dev.lunar.agent.scsi.Opcodes.MODE_SENSE_6;
import static dev.lunar.agent.scsi.Opcodes.PERSISTENT_RESERVE_IN;
import static dev.lunar.agent.scsi.Opcodes.PERSISTENT_RESERVE_OUT;
import static dev.lunar.agent.scsi.Opcodes.PRE_FETCH_10;
import static dev.lunar.agent.scsi.Opcodes.PRE_FETCH_16;
import static dev.lunar.agent.scsi.Opcodes.READ_10;
import static dev.lunar.agent.scsi.Opcodes.READ_12;
import static dev.lunar.agent.scsi.Opcodes.READ_16;
import static dev.lunar.agent.scsi.Opcodes.READ_6;
import static dev.lunar.agent.scsi.Opcodes.READ_CAPACITY_10;
import static dev.lunar.agent.scsi.Opcodes.RELEASE_10;
import static dev.lunar.agent.scsi.Opcodes.RELEASE_6;
import static dev.lunar.agent.scsi.Opcodes.REPORT_LUNS;
import static dev.lunar.agent.scsi.Opcodes.REQUEST_SENSE;
import static dev.lunar.agent.scsi.Opcodes.RESERVE_10;
import static dev.lunar.agent.scsi.Opcodes.RESERVE_6;
import static dev.lunar.agent.scsi.Opcodes.SERVICE_ACTION_IN_16;
import static dev.lunar.agent.scsi.Opcodes.TEST_UNIT_READY;
import static dev.lunar.agent.scsi.Opcodes.VERIFY_10;
import static dev.lunar.agent.scsi.Opcodes.VERIFY_12;
import static dev.lunar.agent.scsi.Opcodes.VERIFY_16;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Persistent reservation state of a unit (SPC-4 5.12): registered keys per I_T nexus, the
 * generation counter and at most one logical-unit-scope reservation. Kept in memory, and in a
 * {@link ReservationStore} too while an initiator has asked for persistence through power loss
 * (APTPL) and the unit has a place for it. Every method holds the monitor, so each PERSISTENT
 * RESERVE OUT is atomic.
 */
final class PersistentReservations {

  static final int WRITE_EXCLUSIVE = 1;
  static final int EXCLUSIVE_ACCESS = 3;
  static final int WRITE_EXCLUSIVE_REGISTRANTS_ONLY = 5;
  static final int EXCLUSIVE_ACCESS_REGISTRANTS_ONLY = 6;
  static final int WRITE_EXCLUSIVE_ALL_REGISTRANTS = 7;
  static final int EXCLUSIVE_ACCESS_ALL_REGISTRANTS = 8;

  /** Outcome of a PERSISTENT RESERVE OUT service action that did not fail with sense. */
  enum Outcome {
    GOOD,
    CONFLICT
  }

  private final UnitAttentions attentions;
  private final ReservationStore store;
  private final Map<Nexus, Long> keys = new LinkedHashMap<>();
  private int generation;
  private Nexus holder;
  private int type;
  private boolean persistThroughPowerLoss;

  PersistentReservations(UnitAttentions attentions) {
    this(attentions, null);
  }

  /**
   * @param store where APTPL state goes, or {@code null} when APTPL is not offered
   */
  PersistentReservations(UnitAttentions attentions, ReservationStore store) {
    this.attentions = attentions;
    this.store = store;
    ReservationStore.Snapshot saved = store == null ? null : store.load();
    if (saved != null) {
      keys.putAll(saved.keys());
      holder = saved.holder();
      type = saved.type();
      generation = saved.generation();
      persistThroughPowerLoss = true;
    }
  }

  /** Whether APTPL can be asked for (PTPL_C). */
  boolean persistenceCapable() {
    return store != null;
  }

  /** Whether the state is being kept through power loss (PTPL_A). */
  synchronized boolean persistenceActive() {
    return persistThroughPowerLoss;
  }

  /**
   * After a successful PERSISTENT RESERVE OUT: {@code aptpl} is the APTPL bit of a REGISTER, or
   * {@code null} for the other service actions, which keep the current choice.
   */
  synchronized void persist(Boolean aptpl) throws CheckCondition {
    if (aptpl != null) {
      persistThroughPowerLoss = aptpl;
    }
    if (store == null) {
      return;
    }
    try {
      if (persistThroughPowerLoss) {
        store.save(
            new ReservationStore.Snapshot(new LinkedHashMap<>(keys), holder, type, generation));
      } else {
        store.delete();
      }
    } catch (java.io.IOException e) {
      throw CheckCondition.of(SenseCode.INTERNAL_TARGET_FAILURE);
    }
  }

  /**
   * Commands every nexus may run whatever the reservation (SPC-4 5.12.3 and SBC-3 4.17): they
   * neither read nor change the medium, or they manage reservations themselves.
   */
  static boolean exempt(int opcode) {
    return switch (opcode) {
      case TEST_UNIT_READY,
          REQUEST_SENSE,
          INQUIRY,
          READ_CAPACITY_10,
          PERSISTENT_RESERVE_IN,
          PERSISTENT_RESERVE_OUT,
          SERVICE_ACTION_IN_16,
          REPORT_LUNS,
          MAINTENANCE_IN ->
          true;
      default -> false;
    };
  }

  /** Whether a command only reads (Write Exclusive reservations let everyone read). */
  static boolean readsOnly(int opcode) {
    return switch (opcode) {
      case READ_6,
          READ_10,
          READ_12,
          READ_16,
          VERIFY_10,
          VERIFY_12,
          VERIFY_16,
          PRE_FETCH_10,
          PRE_FETCH_16,
          MODE_SENSE_6,
          MODE_SENSE_10 ->
          true;
      default -> false;
    };
  }

  /** Whether {@code nexus} may run {@code opcode} under the current persistent reservation. */
  boolean permitsOpcode(Nexus nexus, int opcode) {
    if (opcode == RESERVE_6
        || opcode == RELEASE_6
        || opcode == RESERVE_10
        || opcode == RELEASE_10) {
      return !hasReservation();
    }
    return exempt(opcode) || permits(nexus, !readsOnly(opcode));
  }

  static boolean validType(int type) {
    return type == 1 || type == 3 || (type >= 5 && type <= 8);
  }

  private static boolean allRegistrants(int type) {
    return type == WRITE_EXCLUSIVE_ALL_REGISTRANTS || type == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
  }

  synchronized int generation() {
    return generation;
  }

  synchronized List<Long> keys() {
    return new ArrayList<>(keys.values());
  }

  synchronized Map<Nexus, Long> registrations() {
    return new LinkedHashMap<>(keys);
  }

  /** The reservation type, or 0 when there is none. */
  synchronized int type() {
    return holder == null ? 0 : type;
  }

  /** The reservation key shown by READ RESERVATION: 0 for all-registrants types. */
  synchronized long holderKey() {
    return holder == null || allRegistrants(type) ? 0 : keys.getOrDefault(holder, 0L);
  }

  synchronized boolean isHolder(Nexus nexus) {
    return holder != null
        && (allRegistrants(type) ? keys.containsKey(nexus) : holder.equals(nexus));
  }

  synchronized boolean hasReservation() {
    return holder != null;
  }

  /**
   * Whether a command of this access class may run (SPC-4 5.12.3, table of conflicts).
   *
   * @param writes the command changes the medium (or is otherwise of the write class)
   */
  synchronized boolean permits(Nexus nexus, boolean writes) {
    if (holder == null || isHolder(nexus)) {
      return true;
    }
    boolean registered = keys.containsKey(nexus);
    return switch (type) {
      case WRITE_EXCLUSIVE -> !writes;
      case EXCLUSIVE_ACCESS -> false;
      case WRITE_EXCLUSIVE_REGISTRANTS_ONLY, WRITE_EXCLUSIVE_ALL_REGISTRANTS ->
          !writes || registered;
      default -> registered;
    };
  }

  /** REGISTER (ignoreKey false) and REGISTER AND IGNORE EXISTING KEY (true). */
  synchronized Outcome register(Nexus nexus, long key, long newKey, boolean ignoreKey) {
    Long current = keys.get(nexus);
    if (!ignoreKey && (current == null ? key != 0 : current != key)) {
      return Outcome.CONFLICT;
    }
    if (newKey == 0) {
      if (current != null) {
        unregister(nexus);
        generation++;
      }
      return Outcome.GOOD;
    }
    keys.put(nexus, newKey);
    generation++;
    return Outcome.GOOD;
  }

  private void unregister(Nexus nexus) {
    keys.remove(nexus);
    if (holder == null) {
      return;
    }
    if (allRegistrants(type) ? keys.isEmpty() : holder.equals(nexus)) {
      releaseWithNotice(nexus);
    } else if (allRegistrants(type) && holder.equals(nexus)) {
      holder = keys.keySet().iterator().next();
    }
  }

  private boolean keyMatches(Nexus nexus, long key) {
    Long current = keys.get(nexus);
    return current != null && current == key;
  }

  synchronized Outcome reserve(Nexus nexus, long key, int newType) {
    if (!keyMatches(nexus, key)) {
      return Outcome.CONFLICT;
    }
    if (holder == null) {
      holder = nexus;
      type = newType;
      return Outcome.GOOD;
    }
    return isHolder(nexus) && type == newType ? Outcome.GOOD : Outcome.CONFLICT;
  }

  /** RELEASE; throws INVALID RELEASE OF PERSISTENT RESERVATION when the type differs. */
  synchronized Outcome release(Nexus nexus, long key, int releaseType) throws CheckCondition {
    if (!keyMatches(nexus, key)) {
      return Outcome.CONFLICT;
    }
    if (holder == null || !isHolder(nexus)) {
      return Outcome.GOOD;
    }
    if (releaseType != type) {
      throw CheckCondition.of(SenseCode.INVALID_RELEASE_OF_PERSISTENT_RESERVATION);
    }
    releaseWithNotice(nexus);
    return Outcome.GOOD;
  }

  private void releaseWithNotice(Nexus releaser) {
    boolean tell = type != WRITE_EXCLUSIVE && type != EXCLUSIVE_ACCESS;
    holder = null;
    type = 0;
    if (tell) {
      for (Nexus other : keys.keySet()) {
        if (!other.equals(releaser)) {
          attentions.raise(other, SenseCode.RESERVATIONS_RELEASED);
        }
      }
    }
  }

  synchronized Outcome clear(Nexus nexus, long key) {
    if (!keyMatches(nexus, key)) {
      return Outcome.CONFLICT;
    }
    for (Nexus other : keys.keySet()) {
      if (!other.equals(nexus)) {
        attentions.raise(other, SenseCode.RESERVATIONS_PREEMPTED);
      }
    }
    keys.clear();
    holder = null;
    type = 0;
    generation++;
    return Outcome.GOOD;
  }

  /** PREEMPT and PREEMPT AND ABORT (task abort is left to the transport). */
  synchronized Outcome preempt(Nexus nexus, long key, long victimKey, int newType)
      throws CheckCondition {
    if (!keyMatches(nexus, key)) {
      return Outcome.CONFLICT;
    }
    boolean takesReservation;
    if (holder != null && allRegistrants(type)) {
      takesReservation = victimKey == 0;
      if (takesReservation) {
        removeWhere(nexus, k -> true);
      } else if (!removeWhere(nexus, k -> k == victimKey)) {
        return Outcome.CONFLICT;
      }
    } else {
      if (victimKey == 0) {
        throw CheckCondition.invalidParameter(8);
      }
      takesReservation = holder != null && keys.getOrDefault(holder, 0L) == victimKey;
      boolean removed = removeWhere(nexus, k -> k == victimKey);
      if (!removed && !takesReservation) {
        return Outcome.CONFLICT;
      }
    }
    if (takesReservation) {
      holder = nexus;
      type = newType;
    }
    generation++;
    return Outcome.GOOD;
  }

  /** Removes other nexuses' registrations whose key matches, telling each; true if any went. */
  private boolean removeWhere(Nexus keep, java.util.function.LongPredicate matches) {
    List<Nexus> gone = new ArrayList<>();
    keys.forEach(
        (n, k) -> {
          if (!n.equals(keep) && matches.test(k)) {
            gone.add(n);
          }
        });
    for (Nexus n : gone) {
      keys.remove(n);
      attentions.raise(n, SenseCode.REGISTRATIONS_PREEMPTED);
    }
    return !gone.isEmpty();
  }
}
