package dev.lunar.agent.scsi;

import io.netty.buffer.Unpooled;

/** Builders for the common results. */
final class Responses {

  private static final ScsiResult GOOD = new ScsiResult(ScsiResult.GOOD, null, null, 0);

  private Responses() {}

  static ScsiResult good() {
    return GOOD;
  }

  /** GOOD after consuming {@code dataOutWanted} bytes of Data-Out. */
  static ScsiResult goodAfterDataOut(int dataOutWanted) {
    return new ScsiResult(ScsiResult.GOOD, null, null, dataOutWanted);
  }

  /** GOOD with parameter data cut to the CDB's allocation length. */
  static ScsiResult data(byte[] data, long allocationLength) {
    int length = (int) Math.min(data.length, allocationLength);
    return new ScsiResult(ScsiResult.GOOD, Unpooled.wrappedBuffer(data, 0, length), null, 0);
  }

  static ScsiResult check(byte[] sense) {
    return check(sense, 0);
  }

  /** CHECK CONDITION of a command whose CDB described {@code dataOutWanted} bytes of Data-Out. */
  static ScsiResult check(byte[] sense, int dataOutWanted) {
    return new ScsiResult(ScsiResult.CHECK_CONDITION, null, sense, dataOutWanted);
  }
}
