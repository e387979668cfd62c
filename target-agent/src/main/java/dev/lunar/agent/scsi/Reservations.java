package dev.lunar.agent.scsi;

import static dev.lunar.agent.scsi.Opcodes.INQUIRY;
import static dev.lunar.agent.scsi.Opcodes.PERSISTENT_RESERVE_IN;
import static dev.lunar.agent.scsi.Opcodes.RELEASE_10;
import static dev.lunar.agent.scsi.Opcodes.RELEASE_6;
import static dev.lunar.agent.scsi.Opcodes.REPORT_LUNS;
import static dev.lunar.agent.scsi.Opcodes.REQUEST_SENSE;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The SPC-2 reservation of a unit (RESERVE / RELEASE): at most one I_T nexus holds the whole unit;
 * other nexuses get RESERVATION CONFLICT for everything but a few harmless commands. A reset or the
 * holder's session ending releases it.
 */
final class Reservations {

  private final AtomicReference<Nexus> holder = new AtomicReference<>();

  /** Whether {@code nexus} may run {@code opcode} now (SPC-2 5.5.1 table, abridged). */
  boolean permits(Nexus nexus, int opcode) {
    Nexus current = holder.get();
    if (current == null || current.equals(nexus)) {
      return true;
    }
    return switch (opcode) {
      case INQUIRY, REPORT_LUNS, REQUEST_SENSE, PERSISTENT_RESERVE_IN, RELEASE_6, RELEASE_10 ->
          true;
      default -> false;
    };
  }

  /** Takes the reservation; false when another nexus holds it. */
  boolean reserve(Nexus nexus) {
    return holder.compareAndSet(null, nexus) || nexus.equals(holder.get());
  }

  /** Releases the reservation if {@code nexus} holds it; otherwise nothing happens. */
  void release(Nexus nexus) {
    // Nexus is a record: the transport may hand an equal but distinct instance per command, so
    // compare by value, not with compareAndSet's identity check.
    holder.getAndUpdate(current -> nexus.equals(current) ? null : current);
  }

  void clear() {
    holder.set(null);
  }
}
