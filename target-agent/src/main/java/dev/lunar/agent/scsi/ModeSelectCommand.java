package dev.lunar.agent.scsi;

import static dev.lunar.agent.scsi.Opcodes.MODE_SELECT_10;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * MODE SELECT (6) (0x15, SPC-4 6.9) and (10) (0x55, 6.10). CDB: byte 1 bit 4 PF, bit 0 SP (saving
 * is not supported); (6) byte 4, (10) bytes 7-8 parameter list length. The parameter list is a MODE
 * SENSE header, an optional block descriptor (its block length must be ours) and pages in MODE
 * SENSE layout. A page may differ from the current one only in changeable bits (WCE, D_SENSE, SWP);
 * every page is checked before anything changes. With SP the new values are also saved. Other
 * nexuses are told through a MODE PARAMETERS CHANGED unit attention.
 */
final class ModeSelectCommand implements CommandHandler {

  private final Disk disk;
  private final UnitAttentions attentions;

  ModeSelectCommand(Disk disk, UnitAttentions attentions) {
    this.disk = disk;
    this.attentions = attentions;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition {
    boolean ten = cdb.opcode() == MODE_SELECT_10;
    cdb.require(ten ? 10 : 6);
    boolean save = cdb.bit(1, 0);
    int length = ten ? cdb.u16(7) : cdb.u8(4);
    if (length == 0) {
      return Responses.good();
    }
    ByteBuf out = request.dataOut();
    int header = ten ? 8 : 4;
    if (out == null || out.readableBytes() < length || length < header) {
      throw CheckCondition.of(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
    }
    byte[] list = ByteBufUtil.getBytes(out, out.readerIndex(), length);
    int descriptorLength = ten ? Bytes.u16(list, 6) : Bytes.u8(list, 3);
    boolean longLba = ten && (list[4] & 1) != 0;
    int at = header;
    if (descriptorLength > 0) {
      checkBlockDescriptor(list, at, descriptorLength, longLba);
      at += descriptorLength;
    }
    ModeState.Values before = disk.mode().current();
    ModeState.Values after = before;
    while (at < length) {
      after = checkPage(list, at, length, after);
      at += 2 + Bytes.u8(list, at + 1);
    }
    if (!after.equals(before)) {
      disk.mode().current(after);
      attentions.raiseForOthers(request.nexus(), SenseCode.MODE_PARAMETERS_CHANGED);
    }
    if (save) {
      try {
        disk.mode().save();
      } catch (java.io.IOException e) {
        throw CheckCondition.of(SenseCode.SAVING_PARAMETERS_NOT_SUPPORTED);
      }
    }
    return Responses.goodAfterDataOut(length);
  }

  private void checkBlockDescriptor(byte[] list, int at, int length, boolean longLba)
      throws CheckCondition {
    int expected = longLba ? 16 : 8;
    if (length != expected || at + length > list.length) {
      throw CheckCondition.of(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
    }
    int blockLength = longLba ? (int) Bytes.u32(list, at + 12) : Bytes.u24(list, at + 5);
    if (blockLength != disk.blockSize()) {
      throw CheckCondition.invalidParameter(at + (longLba ? 12 : 5));
    }
  }

  /** Checks one page; returns {@code values} with what the page changes. */
  private ModeState.Values checkPage(byte[] list, int at, int length, ModeState.Values values)
      throws CheckCondition {
    if (at + 2 > length) {
      throw CheckCondition.of(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
    }
    int code = list[at] & 0x3F;
    if ((list[at] & 0x40) != 0 || code == ModePages.ALL_PAGES) {
      throw CheckCondition.invalidParameter(at);
    }
    byte[] current = ModePages.pages(code, ModePages.CURRENT, disk);
    if (current == null) {
      throw CheckCondition.invalidParameter(at);
    }
    byte[] changeable = ModePages.pages(code, ModePages.CHANGEABLE, disk);
    if (Bytes.u8(list, at + 1) != current.length - 2) {
      throw CheckCondition.invalidParameter(at + 1);
    }
    if (at + current.length > length) {
      throw CheckCondition.of(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
    }
    for (int i = 2; i < current.length; i++) {
      if (((list[at + i] ^ current[i]) & ~changeable[i]) != 0) {
        throw CheckCondition.invalidParameter(at + i);
      }
    }
    return switch (code) {
      case ModePages.CACHING ->
          new ModeState.Values(
              (list[at + 2] & 0x04) != 0, values.descriptorSense(), values.softwareWriteProtect());
      case ModePages.CONTROL ->
          new ModeState.Values(
              values.writeCache(), (list[at + 2] & 0x04) != 0, (list[at + 4] & 0x08) != 0);
      default -> values;
    };
  }
}
