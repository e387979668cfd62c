package dev.lunar.agent.scsi;

/**
 * A command descriptor block with bounds-checked big-endian accessors: a CDB shorter than its
 * opcode needs is an invalid field, not an exception escaping the unit.
 */
final class Cdb {

  private final byte[] bytes;

  Cdb(byte[] bytes) {
    this.bytes = bytes;
  }

  int opcode() {
    return bytes[0] & 0xff;
  }

  int length() {
    return bytes.length;
  }

  /** Fails with INVALID FIELD IN CDB unless the CDB has at least {@code n} bytes. */
  Cdb require(int n) throws CheckCondition {
    if (bytes.length < n) {
      throw CheckCondition.invalidCdbField(0);
    }
    return this;
  }

  int u8(int i) throws CheckCondition {
    require(i + 1);
    return Bytes.u8(bytes, i);
  }

  boolean bit(int i, int bit) throws CheckCondition {
    return (u8(i) >>> bit & 1) != 0;
  }

  int u16(int i) throws CheckCondition {
    require(i + 2);
    return Bytes.u16(bytes, i);
  }

  int u24(int i) throws CheckCondition {
    require(i + 3);
    return Bytes.u24(bytes, i);
  }

  long u32(int i) throws CheckCondition {
    require(i + 4);
    return Bytes.u32(bytes, i);
  }

  long u64(int i) throws CheckCondition {
    require(i + 8);
    return Bytes.u64(bytes, i);
  }

  /** The service action, low five bits of byte 1 (SERVICE ACTION IN / MAINTENANCE IN). */
  int serviceAction() throws CheckCondition {
    return u8(1) & 0x1f;
  }
}
