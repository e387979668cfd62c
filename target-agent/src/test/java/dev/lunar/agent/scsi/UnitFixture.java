package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.model.LunSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;

/** A disk unit over a memory store, with helpers to send CDBs and check answers. */
final class UnitFixture implements AutoCloseable {

  static final Nexus NEXUS = new Nexus("iqn.2026-11.dev.lunar:init", 0x23d000000001L, "iqn.t", 1);
  static final Nexus OTHER = new Nexus("iqn.2026-11.dev.lunar:other", 0x23d000000002L, "iqn.t", 1);
  static final LunContext CONTEXT =
      new LunContext(1, "iqn.2026-11.dev.lunar:disk", () -> new int[] {0, 1, 300});

  final LogicalUnit unit;

  private UnitFixture(LogicalUnit unit) {
    this.unit = unit;
  }

  /** A 1 MiB disk of 512-byte blocks, LUN 1, with the power-on unit attention already seen. */
  static UnitFixture disk() throws IOException {
    return disk(spec(false, false, 512));
  }

  static UnitFixture disk(LunSpec spec) throws IOException {
    UnitFixture fixture = new UnitFixture(LogicalUnits.open(spec, CONTEXT));
    fixture.clearAttention(NEXUS);
    return fixture;
  }

  /** A disk unit, LUN 1, over {@code disk} as built by the test, attention seen. */
  static UnitFixture disk(Disk disk) {
    UnitIdentity identity =
        new UnitIdentity(
            UnitIdentity.TYPE_DISK,
            1,
            CONTEXT.targetName(),
            LogicalUnits.DISK_PRODUCT,
            CONTEXT.defaultScsiId(1),
            CONTEXT.defaultSerial(1),
            UnitIdentity.naaFor(CONTEXT.targetName(), 1, CONTEXT.defaultSerial(1)),
            false);
    UnitFixture fixture =
        new UnitFixture(
            new ScsiUnit(
                identity, disk, true, false, null, unit -> DiskCommands.table(unit, CONTEXT)));
    fixture.clearAttention(NEXUS);
    return fixture;
  }

  static LunSpec spec(boolean readOnly, boolean thin, int blockSize) {
    return new LunSpec(
        1, null, "mem", 1 << 20, blockSize, readOnly, thin, null, null, true, false, 0);
  }

  /** {@code length} bytes of one value. */
  static byte[] filled(int length, int value) {
    byte[] b = new byte[length];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }

  void clearAttention(Nexus nexus) {
    unit.execute(new ScsiRequest(nexus, new byte[6], null, 0, 1, 0));
  }

  Answer send(int... cdb) {
    return send(NEXUS, null, cdb);
  }

  Answer send(Nexus nexus, byte[] dataOut, int... cdb) {
    byte[] bytes = new byte[cdb.length];
    for (int i = 0; i < cdb.length; i++) {
      bytes[i] = (byte) cdb[i];
    }
    ByteBuf out = dataOut == null ? null : Unpooled.wrappedBuffer(dataOut);
    ScsiResult result = unit.execute(new ScsiRequest(nexus, bytes, out, 65536, 1, 7));
    byte[] data = null;
    if (result.dataIn() != null) {
      data = ByteBufUtil.getBytes(result.dataIn());
      result.dataIn().release();
    }
    return new Answer(result, data);
  }

  Answer write(byte[] dataOut, int... cdb) {
    return send(NEXUS, dataOut, cdb);
  }

  @Override
  public void close() {
    unit.close();
  }

  /** The result with its Data-In copied out. */
  record Answer(ScsiResult result, byte[] data) {

    Answer good() {
      assertThat(result.status()).as("status, sense %s", senseHex()).isEqualTo(ScsiResult.GOOD);
      return this;
    }

    /** Asserts CHECK CONDITION with fixed-format sense carrying this key, ASC and ASCQ. */
    Answer check(int key, int asc, int ascq) {
      assertThat(result.status()).isEqualTo(ScsiResult.CHECK_CONDITION);
      byte[] sense = result.sense();
      assertThat(sense[0] & 0x7f).isEqualTo(0x70);
      assertThat(new int[] {sense[2] & 0x0f, sense[12] & 0xff, sense[13] & 0xff})
          .containsExactly(key, asc, ascq);
      return this;
    }

    /** Asserts the sense-key-specific field pointer (C/D set: in the CDB). */
    Answer fieldPointer(int index) {
      byte[] sense = result.sense();
      assertThat(sense[15] & 0xC0).isEqualTo(0xC0);
      assertThat(Bytes.u16(sense, 16)).isEqualTo(index);
      return this;
    }

    private String senseHex() {
      return result.sense() == null ? "none" : ByteBufUtil.hexDump(result.sense());
    }
  }
}
