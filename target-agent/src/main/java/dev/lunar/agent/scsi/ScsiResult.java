package dev.lunar.agent.scsi;

import dev.lunar.agent.storage.FileSpan;
import io.netty.buffer.ByteBuf;

/**
 * The outcome of one SCSI command.
 *
 * @param status the SAM status byte (0x00 GOOD, 0x02 CHECK CONDITION, 0x18 RESERVATION CONFLICT,
 *     ...)
 * @param dataIn data for the initiator, or {@code null}; ownership passes to the transport, which
 *     sends at most the initiator's expected length and reports the rest as residual overflow
 * @param sense sense data (fixed or descriptor format) with CHECK CONDITION, otherwise {@code null}
 * @param dataOutWanted how many bytes of Data-Out the CDB described (transfer length times block
 *     size for writes, parameter list length for others, 0 when none); the transport reports the
 *     difference from the expected transfer length as residual under- or overflow
 * @param dataInSpan data for the initiator as a range of the backing file, instead of {@code
 *     dataIn} (only for a request with {@link ScsiRequest#fileDataIn}); ownership passes as for
 *     {@code dataIn}
 */
public record ScsiResult(
    int status, ByteBuf dataIn, byte[] sense, int dataOutWanted, FileSpan dataInSpan) {

  public static final int GOOD = 0x00;
  public static final int CHECK_CONDITION = 0x02;
  public static final int CONDITION_MET = 0x04;
  public static final int BUSY = 0x08;
  public static final int RESERVATION_CONFLICT = 0x18;
  public static final int TASK_SET_FULL = 0x28;
  public static final int TASK_ABORTED = 0x40;

  public ScsiResult(int status, ByteBuf dataIn, byte[] sense, int dataOutWanted) {
    this(status, dataIn, sense, dataOutWanted, null);
  }

  /** GOOD with read data the transport sends straight from the backing file. */
  static ScsiResult good(FileSpan dataIn) {
    return new ScsiResult(GOOD, null, null, 0, dataIn);
  }

  /** Bytes of read data, in a buffer or a file span. */
  public int dataInLength() {
    if (dataInSpan != null) {
      return dataInSpan.length();
    }
    return dataIn == null ? 0 : dataIn.readableBytes();
  }

  /** Releases the read data of a result that will not be sent. */
  public void releaseDataIn() {
    if (dataIn != null) {
      dataIn.release();
    }
    if (dataInSpan != null) {
      dataInSpan.release();
    }
  }

  /** CHECK CONDITION with fixed-format sense data for {@code code} (SPC-4 4.5.3). */
  public static ScsiResult checkCondition(SenseCode code) {
    return new ScsiResult(CHECK_CONDITION, null, Sense.fixed(code), 0);
  }

  /**
   * Whether this is a CHECK CONDITION with sense key MEDIUM ERROR: the unit could not read or write
   * its backing store.
   */
  public boolean mediumError() {
    return senseKey() == SenseCode.MEDIUM_ERROR_KEY;
  }

  /** The sense key of fixed (0x70/0x71) or descriptor (0x72/0x73) sense data, or -1 (SPC-4 4.5). */
  int senseKey() {
    if (status != CHECK_CONDITION || sense == null || sense.length < 3) {
      return -1;
    }
    return switch (sense[0] & 0x7f) {
      case 0x70, 0x71 -> sense[2] & 0x0f;
      case 0x72, 0x73 -> sense[1] & 0x0f;
      default -> -1;
    };
  }
}
