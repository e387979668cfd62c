package dev.lunar.agent.scsi;

/**
 * Thrown by command handlers to end a command with CHECK CONDITION; the unit turns it into status
 * and fixed-format sense. Carries no stack trace: it is an answer, not a bug.
 */
final class CheckCondition extends Exception {

  private final SenseCode code;
  private final int senseKeySpecific;
  private final long information;
  private final int dataOutWanted;

  private CheckCondition(
      SenseCode code, int senseKeySpecific, long information, int dataOutWanted) {
    super(code.name(), null, false, false);
    this.code = code;
    this.senseKeySpecific = senseKeySpecific;
    this.information = information;
    this.dataOutWanted = dataOutWanted;
  }

  static CheckCondition of(SenseCode code) {
    return new CheckCondition(code, -1, -1, 0);
  }

  /**
   * INVALID FIELD IN INFORMATION UNIT for Data-Out that ends inside a logical block, with the
   * {@code dataOutWanted} bytes the CDB describes so that the transport reports the residual
   * against them as for any write.
   */
  static CheckCondition partialBlock(int dataOutWanted) {
    return new CheckCondition(SenseCode.INVALID_FIELD_IN_INFORMATION_UNIT, -1, -1, dataOutWanted);
  }

  /** INVALID FIELD IN CDB pointing at byte {@code index} of the CDB. */
  static CheckCondition invalidCdbField(int index) {
    return new CheckCondition(
        SenseCode.INVALID_FIELD_IN_CDB, Sense.cdbFieldPointer(index, -1), -1, 0);
  }

  /** INVALID FIELD IN CDB pointing at one bit of byte {@code index}. */
  static CheckCondition invalidCdbBit(int index, int bit) {
    return new CheckCondition(
        SenseCode.INVALID_FIELD_IN_CDB, Sense.cdbFieldPointer(index, bit), -1, 0);
  }

  /** INVALID FIELD IN PARAMETER LIST pointing at byte {@code index} of the Data-Out. */
  static CheckCondition invalidParameter(int index) {
    return new CheckCondition(
        SenseCode.INVALID_FIELD_IN_PARAMETER_LIST, Sense.parameterFieldPointer(index), -1, 0);
  }

  /** A check whose INFORMATION field carries a value (the miscompare offset, for example). */
  static CheckCondition withInformation(SenseCode code, long information) {
    return new CheckCondition(code, -1, information, 0);
  }

  SenseCode code() {
    return code;
  }

  /** What the result's {@link ScsiResult#dataOutWanted()} says; 0 unless a write needs it. */
  int dataOutWanted() {
    return dataOutWanted;
  }

  byte[] sense() {
    return sense(false);
  }

  /** The sense data, descriptor format when {@code descriptor} (D_SENSE), else fixed. */
  byte[] sense(boolean descriptor) {
    return descriptor
        ? Sense.descriptor(code, senseKeySpecific, information)
        : Sense.fixed(code, senseKeySpecific, information);
  }
}
