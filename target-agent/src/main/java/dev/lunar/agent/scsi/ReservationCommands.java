package dev.lunar.agent.scsi;

import static dev.lunar.agent.scsi.Opcodes.RELEASE_10;
import static dev.lunar.agent.scsi.Opcodes.RELEASE_6;
import static dev.lunar.agent.scsi.Opcodes.RESERVE_10;

/**
 * RESERVE (6) (0x16), RELEASE (6) (0x17), RESERVE (10) (0x56), RELEASE (10) (0x57), SPC-2 7.21 and
 * 7.17. Whole-unit reservations only: the extent bit of the 6-byte forms and the third-party (bit
 * 4) and LONGID (bit 1) bits of the 10-byte forms are invalid fields.
 */
final class ReservationCommands implements CommandHandler {

  private static final ScsiResult CONFLICT =
      new ScsiResult(ScsiResult.RESERVATION_CONFLICT, null, null, 0);

  private final Reservations reservations;

  ReservationCommands(Reservations reservations) {
    this.reservations = reservations;
  }

  static ScsiResult conflict() {
    return CONFLICT;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition {
    int opcode = cdb.opcode();
    boolean ten = opcode == RESERVE_10 || opcode == RELEASE_10;
    cdb.require(ten ? 10 : 6);
    int flags = cdb.u8(1);
    if (ten ? (flags & 0x12) != 0 : (flags & 0x01) != 0) {
      throw CheckCondition.invalidCdbField(1);
    }
    if (opcode == RELEASE_6 || opcode == RELEASE_10) {
      reservations.release(request.nexus());
      return Responses.good();
    }
    return reservations.reserve(request.nexus()) ? Responses.good() : CONFLICT;
  }
}
