package dev.lunar.agent.it;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Hand-built iSCSI PDUs for hostile-initiator tests, independent of the target's own codec so a
 * codec bug cannot hide itself. BHS layout (RFC 7143 section 11.2): byte 0 opcode (0x40 immediate),
 * byte 1 flags, byte 4 TotalAHSLength in words, bytes 5-7 DataSegmentLength, bytes 8-15 LUN or
 * ISID/TSIH, 16-19 ITT, then opcode-specific fields.
 */
final class HostilePdus {

  static final int BHS = 48;

  private HostilePdus() {}

  /** A bare BHS with the given opcode and length claims. */
  static ByteBuffer bhs(int opcode, int ahsWords, int dataLength) {
    ByteBuffer b = ByteBuffer.allocate(BHS);
    b.put(0, (byte) opcode);
    b.put(4, (byte) ahsWords);
    b.put(5, (byte) (dataLength >>> 16));
    b.put(6, (byte) (dataLength >>> 8));
    b.put(7, (byte) dataLength);
    return b;
  }

  /**
   * A Login Request (11.12) from the operational stage straight to the full feature phase, or with
   * C set when {@code more} is true. Bytes 8-13 ISID, 20-21 CID, 24 CmdSN, 28 ExpStatSN.
   */
  static byte[] login(long isid, boolean more, String text) {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = bhs(0x43, 0, data.length);
    b.put(1, (byte) (more ? 0x40 | 1 << 2 | 3 : 0x80 | 1 << 2 | 3));
    b.putShort(8, (short) (isid >>> 32));
    b.putInt(10, (int) isid);
    b.putInt(16, 1);
    return withData(b, data);
  }

  /** The login keys of a Normal session to {@code iqn} from initiator {@code name}. */
  static String normalSession(String name, String iqn) {
    return "InitiatorName="
        + name
        + "\0TargetName="
        + iqn
        + "\0SessionType=Normal\0MaxRecvDataSegmentLength=262144\0";
  }

  /**
   * A SCSI Command (11.3) to LUN 1: byte 1 F (0x80), R (0x40), W (0x20), attribute simple; 20 EDTL,
   * 24 CmdSN, 28 ExpStatSN, 32-47 CDB.
   */
  static byte[] scsi(int itt, int cmdSn, boolean write, int edtl, byte[] cdb) {
    ByteBuffer b = bhs(0x01, 0, 0);
    b.put(1, (byte) (0x80 | (write ? 0x20 : 0x40) | 1));
    b.putShort(8, (short) 0x0001);
    b.putInt(16, itt);
    b.putInt(20, edtl);
    b.putInt(24, cmdSn);
    b.put(32, cdb);
    return b.array();
  }

  /** READ(10) or WRITE(10) of {@code blocks} 512-byte blocks at LBA 0. */
  static byte[] rw10(boolean write, int blocks) {
    return new byte[] {
      (byte) (write ? 0x2a : 0x28), 0, 0, 0, 0, 0, 0, (byte) (blocks >>> 8), (byte) blocks, 0
    };
  }

  /** A Data-Out (11.7) for any task: 16 ITT, 20 TTT, 36 DataSN, 40 BufferOffset. */
  static byte[] dataOut(int itt, int ttt, int offset, int length) {
    ByteBuffer b = bhs(0x05, 0, length);
    b.put(1, (byte) 0x80);
    b.putShort(8, (short) 0x0001);
    b.putInt(16, itt);
    b.putInt(20, ttt);
    b.putInt(40, offset);
    return withData(b, new byte[length]);
  }

  private static byte[] withData(ByteBuffer bhs, byte[] data) {
    int padded = (data.length + 3) & ~3;
    byte[] out = new byte[BHS + padded];
    System.arraycopy(bhs.array(), 0, out, 0, BHS);
    System.arraycopy(data, 0, out, BHS, data.length);
    return out;
  }
}
