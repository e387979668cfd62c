package dev.lunar.agent.iscsi.session;

import static dev.lunar.agent.scsi.Opcodes.READ_10;
import static dev.lunar.agent.scsi.Opcodes.READ_12;
import static dev.lunar.agent.scsi.Opcodes.READ_16;
import static dev.lunar.agent.scsi.Opcodes.READ_6;
import static dev.lunar.agent.scsi.Opcodes.WRITE_10;
import static dev.lunar.agent.scsi.Opcodes.WRITE_12;
import static dev.lunar.agent.scsi.Opcodes.WRITE_16;
import static dev.lunar.agent.scsi.Opcodes.WRITE_6;

import dev.lunar.agent.iscsi.pdu.ScsiCommand;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Decides whether a command runs on its connection's event loop instead of the command executor.
 *
 * <p>A READ or WRITE served from the page cache takes a few microseconds; handing it to another
 * thread and its result back costs more than that (two wake-ups, two queue hand-offs), and on a
 * busy machine the hand-offs dominate the profile. So plain READ and WRITE commands of at most
 * {@link #MAX_INLINE_BYTES} run inline, and everything else (cache flushes, FUA writes, copies,
 * sanitize, anything that may wait on another command) keeps the executor.
 *
 * <p>Inline work must stay short or it stalls every connection on the loop, so the policy watches
 * how long inline commands take, per LUN. A command slower than {@link #SLOW_NANOS} is either a
 * medium that blocks (page-cache misses on a real disk, dirty-page throttling) or the thread being
 * preempted on a busy machine; only the first recurs. So a LUN moves to the executor when {@link
 * #SLOW_LIMIT} of {@link #WINDOW} consecutive inline commands were slow, stays there for a back-off
 * period, then goes on probation: one slow command during its next {@link #WINDOW} sends it back
 * for twice as long (up to {@link #MAX_BACKOFF_NANOS}). A medium that always blocks thus costs the
 * loop one slow command per back-off period. Runs on one event loop; not thread-safe.
 */
final class InlinePolicy {

  /** Inline commands slower than this count against their LUN. */
  static final long SLOW_NANOS = 1_000_000;

  /** Commands per observation window. */
  static final int WINDOW = 64;

  /** Slow commands within one window that move a trusted LUN to the executor. */
  static final int SLOW_LIMIT = 4;

  /** The first back-off; it doubles while probes keep failing. */
  static final long BACKOFF_NANOS = 1_000_000_000L;

  static final long MAX_BACKOFF_NANOS = 32 * BACKOFF_NANOS;

  /** Larger transfers go to the executor: copying them would hold the loop too long. */
  static final int MAX_INLINE_BYTES = 1 << 20;

  /** FUA in byte 1 of WRITE (10), (12), (16) (SBC-3 5.32-5.34): the write must reach the medium. */
  private static final int FUA = 0x08;

  /** What the policy has seen of one LUN. */
  private static final class LunRecord {
    int commands;
    int slow;
    boolean probation;
    boolean backedOff;
    long backOffUntil;
    long backOff = BACKOFF_NANOS;
  }

  private final LongSupplier clock;
  private final Map<Integer, LunRecord> luns = new HashMap<>();

  InlinePolicy(LongSupplier clock) {
    this.clock = clock;
  }

  static InlinePolicy systemClock() {
    return new InlinePolicy(System::nanoTime);
  }

  /** Whether {@code command} for {@code lun} should run inline now. */
  boolean allows(ScsiCommand command, int lun) {
    if (!isPlainReadOrWrite(command.cdb())) {
      return false;
    }
    int length = command.expectedDataTransferLength();
    if (length < 0 || length > MAX_INLINE_BYTES) {
      return false;
    }
    LunRecord record = luns.get(lun);
    if (record == null || !record.backedOff) {
      return true;
    }
    if (clock.getAsLong() - record.backOffUntil < 0) {
      return false;
    }
    record.backedOff = false;
    record.probation = true;
    return true;
  }

  /** The time now, to pass to {@link #finished} once the command returns. */
  long started() {
    return clock.getAsLong();
  }

  /** Records how long an inline command for {@code lun} took since {@code started}. */
  void finished(int lun, long started) {
    long now = clock.getAsLong();
    LunRecord record = luns.computeIfAbsent(lun, k -> new LunRecord());
    record.commands++;
    if (now - started > SLOW_NANOS) {
      record.slow++;
    }
    if (record.slow >= (record.probation ? 1 : SLOW_LIMIT)) {
      record.backedOff = true;
      record.backOffUntil = now + record.backOff;
      record.backOff = Math.min(2 * record.backOff, MAX_BACKOFF_NANOS);
      record.commands = 0;
      record.slow = 0;
    } else if (record.commands >= WINDOW) {
      if (record.probation) {
        record.probation = false;
        record.backOff = BACKOFF_NANOS;
      }
      record.commands = 0;
      record.slow = 0;
    }
  }

  /** Whether commands for {@code lun} go to the executor for now; for tests and diagnostics. */
  boolean backedOff(int lun) {
    LunRecord record = luns.get(lun);
    return record != null && record.backedOff && clock.getAsLong() - record.backOffUntil < 0;
  }

  private static boolean isPlainReadOrWrite(byte[] cdb) {
    return switch (cdb[0] & 0xff) {
      case READ_6, READ_10, READ_12, READ_16, WRITE_6 -> true;
      case WRITE_10, WRITE_12, WRITE_16 -> (cdb[1] & FUA) == 0;
      default -> false;
    };
  }
}
