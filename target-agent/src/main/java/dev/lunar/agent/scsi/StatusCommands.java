package dev.lunar.agent.scsi;

import static dev.lunar.agent.scsi.Opcodes.TEST_UNIT_READY;

/**
 * TEST UNIT READY (0x00, SPC-4 6.47) and REQUEST SENSE (0x03, SPC-4 6.39). REQUEST SENSE reports a
 * sanitize in progress (NOT READY, SANITIZE IN PROGRESS), else a pending unit attention as its
 * parameter data, clearing it, else NO SENSE. CDB byte 1 bit 0 DESC selects descriptor format, byte
 * 4 is the allocation length.
 */
final class StatusCommands implements CommandHandler {

  private final UnitAttentions attentions;
  private final Sanitizer sanitizer;

  /**
   * @param sanitizer the unit's sanitizer, or {@code null} for a unit without a medium
   */
  StatusCommands(UnitAttentions attentions, Sanitizer sanitizer) {
    this.attentions = attentions;
    this.sanitizer = sanitizer;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition {
    cdb.require(6);
    if (cdb.opcode() == TEST_UNIT_READY) {
      return Responses.good();
    }
    SenseCode pending =
        sanitizer != null && sanitizer.inProgress()
            ? SenseCode.SANITIZE_IN_PROGRESS
            : attentions.take(request.nexus());
    SenseCode code = pending == null ? SenseCode.NO_SENSE : pending;
    byte[] data = cdb.bit(1, 0) ? Sense.descriptor(code) : Sense.fixed(code);
    return Responses.data(data, cdb.u8(4));
  }
}
