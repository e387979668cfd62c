package dev.lunar.agent.scsi;

import static dev.lunar.agent.scsi.Opcodes.PREVENT_ALLOW_MEDIUM_REMOVAL;

import java.util.Set;

/**
 * START STOP UNIT (0x1B, SBC-3 5.20) and PREVENT ALLOW MEDIUM REMOVAL (0x1E, SPC-4 6.13). The
 * medium cannot really stop or leave, so these keep only the prevent state, per nexus, so that an
 * eject asked while any nexus prevents removal is refused as SPC asks.
 *
 * <pre>
 * START STOP UNIT byte 4: bits 7-4 POWER CONDITION, bit 1 LOEJ, bit 0 START
 * PREVENT ALLOW byte 4: bits 1-0 PREVENT (0 allow, 1 prevent)
 * </pre>
 */
final class MediumCommands implements CommandHandler {

  private final Set<Nexus> preventing;

  MediumCommands(Set<Nexus> preventing) {
    this.preventing = preventing;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition {
    cdb.require(6);
    int byte4 = cdb.u8(4);
    if (cdb.opcode() == PREVENT_ALLOW_MEDIUM_REMOVAL) {
      switch (byte4 & 0x03) {
        case 0 -> preventing.remove(request.nexus());
        case 1 -> preventing.add(request.nexus());
        default -> throw CheckCondition.invalidCdbField(4);
      }
      return Responses.good();
    }
    boolean eject = (byte4 & 0x02) != 0 && (byte4 & 0x01) == 0 && (byte4 & 0xF0) == 0;
    if (eject && !preventing.isEmpty()) {
      throw CheckCondition.of(SenseCode.MEDIUM_REMOVAL_PREVENTED);
    }
    return Responses.good();
  }
}
