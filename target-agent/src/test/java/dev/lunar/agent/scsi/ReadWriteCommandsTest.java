package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReadWriteCommandsTest {

  private static byte[] pattern(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return b;
  }

  @Test
  void write10ThenRead10ReturnsTheSameBytes() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] data = pattern(1024, 1);
      ScsiResult w = f.write(data, 0x2A, 0, 0, 0, 0, 5, 0, 0, 2, 0).good().result();
      assertThat(w.dataOutWanted()).isEqualTo(1024);
      assertThat(f.send(0x28, 0, 0, 0, 0, 5, 0, 0, 2, 0).good().data()).isEqualTo(data);
    }
  }

  @Test
  void everyCdbSizeAddressesTheSameBlocks() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] data = pattern(512, 7);
      f.write(data, 0x0A, 0, 0, 9, 1, 0).good();
      assertThat(f.send(0x08, 0, 0, 9, 1, 0).good().data()).isEqualTo(data);
      assertThat(f.send(0xA8, 0, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0).good().data()).isEqualTo(data);
      byte[] other = pattern(512, 8);
      f.write(other, 0x8A, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0).good();
      f.write(other, 0xAA, 0, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0).good();
      assertThat(f.send(0x88, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 2, 0, 0).good().data())
          .isEqualTo(concat(other, other));
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  @Test
  void read6WithZeroLengthTransfers256Blocks() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      assertThat(f.send(0x08, 0, 0, 0, 0, 0).good().data()).hasSize(256 * 512);
    }
  }

  @Test
  void zeroBlocksAtTheEndIsGoodButOnePastIsOutOfRange() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0x28, 0, 0, 0, 0x08, 0x00, 0, 0, 0, 0).good();
      f.send(0x28, 0, 0, 0, 0x08, 0x01, 0, 0, 0, 0).check(5, 0x21, 0);
    }
  }

  @Test
  void readPastTheEndIsLbaOutOfRange() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0x28, 0, 0, 0, 0x07, 0xFF, 0, 0, 2, 0).check(5, 0x21, 0);
      f.send(0x88, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1, 0, 0)
          .check(5, 0x21, 0);
    }
  }

  @Test
  void writePastTheEndIsLbaOutOfRange() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.write(new byte[1024], 0x2A, 0, 0, 0, 0x07, 0xFF, 0, 0, 2, 0).check(5, 0x21, 0);
    }
  }

  @Test
  void writeToAReadOnlyDiskIsWriteProtected() throws Exception {
    try (UnitFixture f = UnitFixture.disk(UnitFixture.spec(true, false, 512))) {
      f.write(new byte[512], 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0).check(7, 0x27, 0);
      f.send(0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0).good();
    }
  }

  @Test
  void protectionInformationIsAnInvalidField() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0x28, 0x20, 0, 0, 0, 0, 0, 0, 1, 0).check(5, 0x24, 0).fieldPointer(1);
    }
  }

  @Test
  void lessDataOutThanTheCdbDescribesWritesOnlyTheWholeBlocksSent() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      UnitFixture.Answer written =
          f.write(UnitFixture.filled(512, 'b'), 0x2A, 0, 0, 0, 0, 0, 0, 0, 2, 0).good();
      byte[] read = f.send(0x28, 0, 0, 0, 0, 0, 0, 0, 2, 0).good().data();

      assertThat(written.result().dataOutWanted()).isEqualTo(1024);
      assertThat(Arrays.copyOfRange(read, 0, 512)).containsOnly((byte) 'b');
      assertThat(Arrays.copyOfRange(read, 512, 1024)).containsOnly((byte) 0);
    }
  }

  @Test
  void dataOutEndingInsideABlockIsRefusedWholeWithTheCdbLengthForTheResidual() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      for (int opcode : new int[] {0x2A, 0x2E}) {
        UnitFixture.Answer refused =
            f.write(UnitFixture.filled(512 + 100, 'b'), opcode, 0, 0, 0, 0, 0, 0, 0, 2, 0)
                .check(5, 0x0E, 0x03);

        assertThat(refused.result().dataOutWanted()).isEqualTo(1024);
        assertThat(f.send(0x28, 0, 0, 0, 0, 0, 0, 0, 2, 0).good().data()).containsOnly(0);
      }
    }
  }

  @Test
  void transferAboveTheBlockLimitIsAnInvalidField() throws Exception {
    try (UnitFixture f =
        UnitFixture.disk(
            new dev.lunar.agent.model.LunSpec(
                1, null, "null", 64L << 20, 512, false, false, null, null, true, false, 0))) {
      f.send(0xA8, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0).check(5, 0x24, 0).fieldPointer(6);
    }
  }

  @Test
  void fuaWriteSucceeds() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.write(new byte[512], 0x2A, 0x08, 0, 0, 0, 0, 0, 0, 1, 0).good();
    }
  }

  @Test
  void synchronizeCacheChecksItsRange() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0).good();
      f.send(0x91, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0).good();
      f.send(0x35, 0, 0, 0, 0x10, 0, 0, 0, 1, 0).check(5, 0x21, 0);
    }
  }
}
