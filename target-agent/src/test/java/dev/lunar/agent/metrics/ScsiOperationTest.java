package dev.lunar.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScsiOperationTest {

  private static ScsiOperation classify(int opcode) {
    return ScsiOperation.of(new byte[] {(byte) opcode, 0, 0, 0, 0, 0});
  }

  @Test
  void everyReadCdbSizeIsARead() {
    for (int opcode : new int[] {0x08, 0x28, 0xa8, 0x88}) {
      assertThat(classify(opcode)).as("opcode 0x%02x", opcode).isEqualTo(ScsiOperation.READ);
    }
  }

  @Test
  void commandsThatPutDataOnTheMediumAreWrites() {
    // WRITE 6/10/12/16, WRITE AND VERIFY 10/12/16, COMPARE AND WRITE, ORWRITE, WRITE SAME 10/16
    for (int opcode :
        new int[] {0x0a, 0x2a, 0xaa, 0x8a, 0x2e, 0xae, 0x8e, 0x89, 0x8b, 0x41, 0x93}) {
      assertThat(classify(opcode)).as("opcode 0x%02x", opcode).isEqualTo(ScsiOperation.WRITE);
    }
  }

  @Test
  void commandsThatMoveNoUserDataAreOther() {
    // TEST UNIT READY, INQUIRY, READ CAPACITY 10, VERIFY 10, SYNCHRONIZE CACHE 10, UNMAP,
    // SERVICE ACTION IN 16 (READ CAPACITY 16), REPORT LUNS
    for (int opcode : new int[] {0x00, 0x12, 0x25, 0x2f, 0x35, 0x42, 0x9e, 0xa0}) {
      assertThat(classify(opcode)).as("opcode 0x%02x", opcode).isEqualTo(ScsiOperation.OTHER);
    }
  }

  @Test
  void aMissingOrEmptyCdbIsOther() {
    assertThat(ScsiOperation.of(null)).isEqualTo(ScsiOperation.OTHER);
    assertThat(ScsiOperation.of(new byte[0])).isEqualTo(ScsiOperation.OTHER);
  }
}
