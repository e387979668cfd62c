package dev.lunar.agent.scsi;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * REPORT SUPPORTED OPERATION CODES (MAINTENANCE IN 0xA3, service action 0x0C, SPC-4 6.35). CDB:
 * byte 2 bit 7 RCTD, bits 2-0 reporting options (0 all, 1 one opcode, 2 opcode and service action,
 * 3 either); byte 3 requested opcode; 4-5 requested service action; 6-9 allocation length.
 *
 * <pre>
 * all commands:  0-3 data length, then per command 0 opcode, 2-3 service action, 5 bit 1 CTDP |
 *                bit 0 SERVACTV, 6-7 CDB length (+ 12-byte timeouts descriptor when RCTD)
 * one command:   1 bit 7 CTDP | SUPPORT bits 2-0 (1 no, 3 yes), 2-3 CDB size, 4.. usage data
 * timeouts:      0-1 length (0x0A), 4-7 nominal and 8-11 recommended timeout in seconds (0)
 * </pre>
 */
final class ReportOpcodesCommand implements CommandHandler {

  static final int SA_REPORT_SUPPORTED_OPCODES = 0x0C;

  private final ScsiUnit unit;

  ReportOpcodesCommand(ScsiUnit unit) {
    this.unit = unit;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition {
    cdb.require(12);
    if (cdb.serviceAction() != SA_REPORT_SUPPORTED_OPCODES) {
      throw CheckCondition.invalidCdbField(1);
    }
    boolean timeouts = cdb.bit(2, 7);
    int options = cdb.u8(2) & 0x07;
    long allocation = cdb.u32(6);
    byte[] data =
        switch (options) {
          case 0 -> all(timeouts);
          case 1, 2, 3 -> one(cdb.u8(3), cdb.u16(4), options, timeouts);
          default -> throw CheckCondition.invalidCdbField(2);
        };
    return Responses.data(data, allocation);
  }

  private byte[] all(boolean timeouts) {
    List<CommandTable.Entry> entries = unit.table().entries();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[4]);
    for (CommandTable.Entry e : entries) {
      byte[] d = new byte[8];
      d[0] = (byte) e.opcode();
      if (e.serviceAction() >= 0) {
        Bytes.putU16(d, 2, e.serviceAction());
        d[5] = 0x01;
      }
      if (timeouts) {
        d[5] |= 0x02;
      }
      Bytes.putU16(d, 6, e.cdbLength());
      out.writeBytes(d);
      if (timeouts) {
        out.writeBytes(timeoutsDescriptor());
      }
    }
    byte[] data = out.toByteArray();
    Bytes.putU32(data, 0, data.length - 4);
    return data;
  }

  private byte[] one(int opcode, int serviceAction, int options, boolean timeouts)
      throws CheckCondition {
    int[] actions = unit.table().serviceActionsOf(opcode);
    boolean hasActions = actions != null;
    if (options == 1 && hasActions) {
      throw CheckCondition.invalidCdbField(2);
    }
    if (options == 2 && !hasActions && unit.table().supports(opcode)) {
      throw CheckCondition.invalidCdbField(2);
    }
    boolean supported = unit.table().supports(opcode);
    if (hasActions) {
      supported = false;
      for (int sa : actions) {
        supported |= sa == serviceAction;
      }
    }
    if (!supported) {
      return new byte[] {0, 0x01, 0, 0};
    }
    int length = CommandTable.cdbLength(opcode);
    byte[] usage = new byte[length];
    usage[0] = (byte) opcode;
    for (int i = 1; i < length - 1; i++) {
      usage[i] = (byte) 0xFF;
    }
    if (hasActions) {
      usage[1] = (byte) (0xE0 | serviceAction);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write((timeouts ? 0x80 : 0) | 0x03);
    out.write(length >>> 8);
    out.write(length);
    out.writeBytes(usage);
    if (timeouts) {
      out.writeBytes(timeoutsDescriptor());
    }
    return out.toByteArray();
  }

  private static byte[] timeoutsDescriptor() {
    byte[] d = new byte[12];
    Bytes.putU16(d, 0, 0x0A);
    return d;
  }
}
