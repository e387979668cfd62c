package dev.lunar.agent.scsi;

/**
 * One logical unit of a target: LUN 0 is the controller, LUN 1.. are disks. The transport calls
 * {@link #execute} on a thread that may block on I/O, in the order it delivers commands; several
 * commands may run at once, so implementations guard their own shared state.
 */
public interface LogicalUnit extends AutoCloseable {

  /** The LUN number within its target. */
  int lun();

  /**
   * Runs one command to completion. Never throws: every failure becomes a status and sense data, so
   * the initiator always gets an answer.
   */
  ScsiResult execute(ScsiRequest request);

  /** Applies a reset: ends reservations where SPC says so and raises the reset unit attention. */
  void reset(ResetKind kind, Nexus requester);

  /**
   * A task is being aborted: a command that only waits for a long operation (a SANITIZE without
   * IMMED, say) should return now, as ABORTED COMMAND, while the operation itself goes on. The
   * transport calls this before it waits for the aborted task to end.
   */
  default void abortTask(Nexus nexus, long taskTag) {}

  /** Forgets what was kept for a nexus that has gone (its session ended). */
  void nexusLost(Nexus nexus);

  /** Size in bytes, as shown by tgtadm and reported in status. */
  long sizeBytes();

  /** Logical block size in bytes (0 for the controller). */
  int blockSize();

  /** Releases the backing store. */
  @Override
  void close();
}
