package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * Layout shared by every Basic Header Segment (RFC 7143 section 11.2.1).
 *
 * <pre>
 * byte 0      . I opcode(6)          I = immediate delivery
 * bytes 1-3   opcode specific        byte 1 bit 7 is the Final bit for most PDUs
 * byte 4      TotalAHSLength         in 4-byte words
 * bytes 5-7   DataSegmentLength      in bytes, without padding
 * bytes 8-15  LUN or opcode specific
 * bytes 16-19 Initiator Task Tag or opcode specific
 * bytes 20-47 opcode specific
 * </pre>
 *
 * Decoders read with absolute indexes: the {@code bhs} buffer handed to each {@code decode} holds
 * byte 0 at index 0.
 */
final class Bhs {

  static final int LENGTH = 48;
  static final int IMMEDIATE = 0x40;
  static final int OPCODE_MASK = 0x3f;
  static final int FINAL = 0x80;
  static final int MAX_DATA_SEGMENT_LENGTH = 0xff_ffff;
  static final int ITT_OFFSET = 16;

  private Bhs() {}

  /** Writes bytes 0-7. */
  static void writeStart(
      ByteBuf out,
      Opcode opcode,
      boolean immediate,
      int byte1,
      int byte2,
      int byte3,
      int ahsLength,
      ByteBuf data) {
    writeStart(out, opcode, immediate, byte1, byte2, byte3, ahsLength, data.readableBytes());
  }

  /** Writes bytes 0-7 of a PDU whose data segment is {@code dataLength} bytes. */
  static void writeStart(
      ByteBuf out,
      Opcode opcode,
      boolean immediate,
      int byte1,
      int byte2,
      int byte3,
      int ahsLength,
      int dataLength) {
    if (dataLength > MAX_DATA_SEGMENT_LENGTH) {
      throw new IllegalArgumentException("data segment of " + dataLength + " bytes exceeds 2^24-1");
    }
    if (ahsLength % 4 != 0 || ahsLength / 4 > 0xff) {
      throw new IllegalArgumentException("AHS length " + ahsLength + " is not encodable");
    }
    out.writeByte(opcode.value() | (immediate ? IMMEDIATE : 0));
    out.writeByte(byte1);
    out.writeByte(byte2);
    out.writeByte(byte3);
    out.writeByte(ahsLength / 4);
    out.writeMedium(dataLength);
  }

  static boolean immediate(ByteBuf bhs) {
    return (bhs.getByte(0) & IMMEDIATE) != 0;
  }

  static boolean bit(ByteBuf bhs, int index, int mask) {
    return (bhs.getByte(index) & mask) != 0;
  }

  static int flag(boolean set, int mask) {
    return set ? mask : 0;
  }

  /** The 48-bit ISID in bytes 8-13 of login PDUs. */
  static long isid(ByteBuf bhs) {
    return ((long) bhs.getUnsignedShort(8) << 32) | bhs.getUnsignedInt(10);
  }

  static void writeIsid(ByteBuf out, long isid) {
    out.writeShort((int) (isid >>> 32));
    out.writeInt((int) isid);
  }

  /** Rounds a length up to the 4-byte boundary every segment is padded to. */
  static int padded(int length) {
    return (length + 3) & ~3;
  }
}
