package dev.lunar.agent.metrics;

import dev.lunar.agent.scsi.ScsiRequest;
import dev.lunar.agent.scsi.ScsiResult;

/**
 * Times one SCSI command on a configured LUN and, when it completes, counts it with the user data
 * it actually moved: the Data-In the initiator receives (at most its expected length) or the
 * Data-Out the medium took. A command that failed moved no data; one failing with MEDIUM ERROR is a
 * backing-store error (the logical unit maps store I/O failures to it).
 */
public final class IoMeter {

  /** A meter that records nothing, for commands to LUNs that do not exist. */
  public static final IoMeter NONE = new IoMeter(null, ScsiOperation.OTHER, 0, 0);

  private final LunMeters meters;
  private final ScsiOperation op;
  private final int dataOutBytes;
  private final int expectedDataIn;
  private final long started = System.nanoTime();

  private IoMeter(LunMeters meters, ScsiOperation op, int dataOutBytes, int expectedDataIn) {
    this.meters = meters;
    this.op = op;
    this.dataOutBytes = dataOutBytes;
    this.expectedDataIn = expectedDataIn;
  }

  /**
   * Starts timing {@code request}, before the logical unit consumes its Data-Out.
   *
   * @param target the target's name, {@code null} for none (nothing is recorded)
   */
  public static IoMeter start(ScsiStats stats, String target, int lun, ScsiRequest request) {
    if (target == null || !stats.recording()) {
      return NONE;
    }
    int dataOut = request.dataOut() == null ? 0 : request.dataOut().readableBytes();
    return new IoMeter(
        stats.lun(target, lun),
        ScsiOperation.of(request.cdb()),
        dataOut,
        request.expectedDataInLength());
  }

  /** Records the command's outcome; call before the result's Data-In is handed on. */
  public void completed(ScsiResult result) {
    if (meters == null) {
      return;
    }
    long nanos = System.nanoTime() - started;
    boolean good =
        result.status() == ScsiResult.GOOD || result.status() == ScsiResult.CONDITION_MET;
    long bytes = good ? movedBytes(result) : 0;
    meters.completed(op, bytes, nanos, result.mediumError());
  }

  private long movedBytes(ScsiResult result) {
    return switch (op) {
      case READ -> Math.min(result.dataInLength(), expectedDataIn);
      case WRITE ->
          result.dataOutWanted() > 0
              ? Math.min(dataOutBytes, result.dataOutWanted())
              : dataOutBytes;
      case OTHER -> 0;
    };
  }
}
