package dev.lunar.agent.scsi;

import static dev.lunar.agent.scsi.Opcodes.INQUIRY;
import static dev.lunar.agent.scsi.Opcodes.REPORT_LUNS;
import static dev.lunar.agent.scsi.Opcodes.REQUEST_SENSE;
import static dev.lunar.agent.scsi.Opcodes.SANITIZE;

import dev.lunar.agent.storage.BackingStore;
import dev.lunar.agent.storage.StoreReadOnlyException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logical unit driven by a command table: the disk units and the LUN 0 controller differ only in
 * identity, medium and table. Here live the rules every command shares: unit attentions first
 * (SAM-5 5.14), the offline state, and turning every failure into status and sense.
 */
final class ScsiUnit implements LogicalUnit {

  private static final Logger log = LoggerFactory.getLogger(ScsiUnit.class);

  private final UnitIdentity identity;
  private final Disk disk;
  private final boolean online;
  private final UnitAttentions attentions;
  private final Reservations reservations = new Reservations();
  private final PersistentReservations persistentReservations;
  private final CopyResults copyResults = new CopyResults();
  private final Sanitizer sanitizer;
  private final Set<Nexus> preventingRemoval = ConcurrentHashMap.newKeySet();
  private final CommandTable table;
  private final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicBoolean storeClosed =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean closing;

  /**
   * @param disk the medium, or {@code null} for the controller
   * @param restored brought back after a daemon restart: no POWER ON unit attention
   * @param reservations where APTPL reservations are kept, or {@code null} for nowhere
   * @param table built by the caller from this unit's state
   */
  ScsiUnit(
      UnitIdentity identity,
      Disk disk,
      boolean online,
      boolean restored,
      ReservationStore reservations,
      CommandTableFactory table) {
    this.attentions = new UnitAttentions(!restored);
    this.persistentReservations = new PersistentReservations(attentions, reservations);
    this.identity = identity;
    this.disk = disk;
    this.online = online;
    this.sanitizer = disk == null ? null : new Sanitizer(disk);
    this.table = table.build(this);
  }

  /** Builds a unit's table once its state exists. */
  @FunctionalInterface
  interface CommandTableFactory {
    CommandTable build(ScsiUnit unit);
  }

  UnitIdentity identity() {
    return identity;
  }

  Disk disk() {
    return disk;
  }

  UnitAttentions attentions() {
    return attentions;
  }

  PersistentReservations persistentReservations() {
    return persistentReservations;
  }

  Reservations reservations() {
    return reservations;
  }

  Sanitizer sanitizer() {
    return sanitizer;
  }

  CopyResults copyResults() {
    return copyResults;
  }

  /** The nexuses that sent PREVENT ALLOW MEDIUM REMOVAL with PREVENT set. */
  Set<Nexus> preventingRemoval() {
    return preventingRemoval;
  }

  CommandTable table() {
    return table;
  }

  @Override
  public int lun() {
    return identity.lun();
  }

  @Override
  public ScsiResult execute(ScsiRequest request) {
    inFlight.incrementAndGet();
    try {
      return run(request);
    } finally {
      if (inFlight.decrementAndGet() == 0 && closing) {
        closeStore();
      }
    }
  }

  private ScsiResult run(ScsiRequest request) {
    try {
      if (request.cdb() == null || request.cdb().length == 0) {
        throw CheckCondition.invalidCdbField(0);
      }
      Cdb cdb = new Cdb(request.cdb());
      int opcode = cdb.opcode();
      if (disk != null && ReadCapacityCommand.asksCapacity(opcode) && disk.refreshCapacity()) {
        // Resized under us: everyone learns it from a unit attention (SBC-3 4.6), this nexus too.
        attentions.raiseForAll(SenseCode.CAPACITY_DATA_HAS_CHANGED);
      }
      if (opcode == INQUIRY || opcode == REPORT_LUNS || opcode == REQUEST_SENSE) {
        attentions.touch(request.nexus());
      } else {
        SenseCode attention = attentions.take(request.nexus());
        if (attention != null) {
          return Responses.check(sense(CheckCondition.of(attention)));
        }
      }
      CommandHandler handler = table.lookup(opcode);
      if (handler == null) {
        throw CheckCondition.of(SenseCode.INVALID_COMMAND_OPERATION_CODE);
      }
      if (!online && opcode != INQUIRY && opcode != REPORT_LUNS && opcode != REQUEST_SENSE) {
        throw CheckCondition.of(SenseCode.NOT_READY_MANUAL_INTERVENTION);
      }
      boolean harmless = opcode == INQUIRY || opcode == REPORT_LUNS || opcode == REQUEST_SENSE;
      if (sanitizer != null && !harmless) {
        if (sanitizer.inProgress()) {
          throw CheckCondition.of(SenseCode.SANITIZE_IN_PROGRESS);
        }
        if (sanitizer.failed() && opcode != SANITIZE) {
          throw CheckCondition.of(SenseCode.SANITIZE_COMMAND_FAILED);
        }
      }
      if (!reservations.permits(request.nexus(), opcode)
          || !persistentReservations.permitsOpcode(request.nexus(), opcode)) {
        return ReservationCommands.conflict();
      }
      return handler.execute(request, cdb);
    } catch (CheckCondition c) {
      return Responses.check(sense(c), c.dataOutWanted());
    } catch (StoreReadOnlyException e) {
      return Responses.check(sense(CheckCondition.of(SenseCode.WRITE_PROTECTED)));
    } catch (IOException e) {
      log.warn("LUN {}: store failure on opcode 0x{}: {}", lun(), opcodeHex(request), e.toString());
      return Responses.check(
          sense(
              CheckCondition.of(
                  isWrite(request) ? SenseCode.WRITE_ERROR : SenseCode.UNRECOVERED_READ_ERROR)));
    } catch (RuntimeException e) {
      log.error("LUN {}: opcode 0x{} failed", lun(), opcodeHex(request), e);
      return Responses.check(sense(CheckCondition.of(SenseCode.INTERNAL_TARGET_FAILURE)));
    }
  }

  /** Sense data in the format the control mode page's D_SENSE selects. */
  private byte[] sense(CheckCondition condition) {
    return condition.sense(disk != null && disk.descriptorSense());
  }

  private static String opcodeHex(ScsiRequest request) {
    return request.cdb() == null || request.cdb().length == 0
        ? "?"
        : Integer.toHexString(request.opcode());
  }

  private static boolean isWrite(ScsiRequest request) {
    return request.dataOut() != null;
  }

  @Override
  public void reset(ResetKind kind, Nexus requester) {
    // SPC-2 reservations and medium-removal prevention do not survive any reset (SPC-4 6.13).
    reservations.clear();
    preventingRemoval.clear();
    attentions.reset();
  }

  /**
   * Tells the unit that the transport aborted a task (ABORT TASK, ABORT TASK SET, resets) so that a
   * command which only waits on a background operation stops waiting: today the SANITIZE that waits
   * for its overwrite or erase, which itself goes on. The transport must call this before it waits
   * for the aborted tasks to end; until it does, such an abort waits for the operation.
   */
  @Override
  public void abortTask(Nexus nexus, long taskTag) {
    if (sanitizer != null) {
      sanitizer.abortWaiting(nexus, taskTag);
    }
  }

  @Override
  public void nexusLost(Nexus nexus) {
    attentions.forget(nexus);
    reservations.release(nexus);
    preventingRemoval.remove(nexus);
    copyResults.forget(nexus);
  }

  @Override
  public long sizeBytes() {
    return disk == null ? 0 : disk.blocks() * disk.blockSize();
  }

  @Override
  public int blockSize() {
    return disk == null ? 0 : disk.blockSize();
  }

  @Override
  public void close() {
    closing = true;
    if (inFlight.get() == 0) {
      closeStore();
    }
  }

  /**
   * Closes the backing store once: at {@link #close} when idle, otherwise when the last running
   * command returns, so a unit replaced under load never fails the commands it already accepted.
   */
  private void closeStore() {
    if (disk == null || !storeClosed.compareAndSet(false, true)) {
      return;
    }
    BackingStore store = disk.store();
    // Flushed first: writes acknowledged without FUA become durable when the daemon stops.
    try (store) {
      store.flush();
    } catch (IOException e) {
      log.warn("LUN {}: closing {} failed: {}", lun(), store, e.toString());
    }
  }

  @Override
  public String toString() {
    return "ScsiUnit[lun=" + lun() + ", type=" + identity.deviceType() + "]";
  }
}
