package dev.lunar.agent.scsi;

import io.netty.buffer.ByteBuf;

/**
 * PERSISTENT RESERVE OUT (0x5F, SPC-4 6.16). CDB: byte 1 bits 4-0 service action, byte 2 scope
 * (bits 7-4, only 0 = logical unit) | type (bits 3-0), bytes 5-8 parameter list length (24).
 * Parameter list: 0-7 reservation key, 8-15 service action reservation key, 20 bit 3 SPEC_I_PT, bit
 * 2 ALL_TG_PT, bit 0 APTPL (only APTPL is offered, and only when the unit has a place to keep the
 * state). REGISTER AND MOVE is not offered.
 */
final class PersistentReserveOutCommand implements CommandHandler {

  private static final int REGISTER = 0;
  private static final int RESERVE = 1;
  private static final int RELEASE = 2;
  private static final int CLEAR = 3;
  private static final int PREEMPT = 4;
  private static final int PREEMPT_AND_ABORT = 5;
  private static final int REGISTER_AND_IGNORE = 6;

  private final PersistentReservations state;

  PersistentReserveOutCommand(PersistentReservations state) {
    this.state = state;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition {
    cdb.require(10);
    int action = cdb.serviceAction();
    int scope = cdb.u8(2) >>> 4;
    int type = cdb.u8(2) & 0x0F;
    long length = cdb.u32(5);
    if (action > REGISTER_AND_IGNORE) {
      throw CheckCondition.invalidCdbField(1);
    }
    boolean needsType =
        action == RESERVE || action == RELEASE || action == PREEMPT || action == PREEMPT_AND_ABORT;
    if (needsType) {
      if (scope != 0) {
        throw CheckCondition.invalidCdbField(2);
      }
      if (!PersistentReservations.validType(type)) {
        throw CheckCondition.invalidCdbField(2);
      }
    }
    ByteBuf list = request.dataOut();
    if (length != 24 || list == null || list.readableBytes() < 24) {
      throw CheckCondition.of(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
    }
    int base = list.readerIndex();
    long key = list.getLong(base);
    long actionKey = list.getLong(base + 8);
    int flags = list.getUnsignedByte(base + 20);
    if ((flags & 0x0C) != 0) {
      throw CheckCondition.invalidParameter(20);
    }
    boolean register = action == REGISTER || action == REGISTER_AND_IGNORE;
    boolean aptpl = (flags & 0x01) != 0;
    if (aptpl && register && !state.persistenceCapable()) {
      throw CheckCondition.invalidParameter(20);
    }
    Nexus nexus = request.nexus();
    PersistentReservations.Outcome outcome =
        switch (action) {
          case REGISTER -> state.register(nexus, key, actionKey, false);
          case REGISTER_AND_IGNORE -> state.register(nexus, key, actionKey, true);
          case RESERVE -> state.reserve(nexus, key, type);
          case RELEASE -> state.release(nexus, key, type);
          case CLEAR -> state.clear(nexus, key);
          default -> state.preempt(nexus, key, actionKey, type);
        };
    if (outcome != PersistentReservations.Outcome.GOOD) {
      return ReservationCommands.conflict();
    }
    state.persist(register ? aptpl : null);
    return Responses.goodAfterDataOut(24);
  }
}
