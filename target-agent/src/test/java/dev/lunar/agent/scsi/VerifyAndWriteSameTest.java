package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerifyAndWriteSameTest {

  @Test
  void verifyWithoutByteCheckIsGoodInRangeAndOutOfRangePastTheEnd() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0x2F, 0, 0, 0, 0, 0, 0, 0, 8, 0).good();
      f.send(0x2F, 0, 0, 0, 0x08, 0, 0, 0, 1, 0).check(5, 0x21, 0);
    }
  }

  @Test
  void verifyWithByteCheckComparesDataOut() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.write(UnitFixture.filled(512, 4), 0x2A, 0, 0, 0, 0, 3, 0, 0, 1, 0).good();
      f.write(UnitFixture.filled(512, 4), 0x2F, 0x02, 0, 0, 0, 3, 0, 0, 1, 0).good();
      byte[] wrong = UnitFixture.filled(512, 4);
      wrong[100] = 5;
      ScsiResult r =
          f.write(wrong, 0x8F, 0x02, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0)
              .check(0x0E, 0x1D, 0)
              .result();
      assertThat(r.sense()[0] & 0x80).isEqualTo(0x80);
      assertThat(Bytes.u32(r.sense(), 3)).isEqualTo(100);
    }
  }

  @Test
  void verifyWithReservedByteCheckIsAnInvalidField() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.write(new byte[512], 0xAF, 0x04, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0).check(5, 0x24, 0);
    }
  }

  @Test
  void writeAndVerifyWrites() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.write(UnitFixture.filled(512, 6), 0x2E, 0, 0, 0, 0, 2, 0, 0, 1, 0).good();
      assertThat(f.send(0x28, 0, 0, 0, 0, 2, 0, 0, 1, 0).data())
          .isEqualTo(UnitFixture.filled(512, 6));
    }
  }

  @Test
  void writeSameRepeatsTheBlock() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.write(UnitFixture.filled(512, 7), 0x41, 0, 0, 0, 0, 10, 0, 0, 4, 0).good();
      assertThat(f.send(0x28, 0, 0, 0, 0, 10, 0, 0, 4, 0).data())
          .isEqualTo(UnitFixture.filled(2048, 7));
      assertThat(f.send(0x28, 0, 0, 0, 0, 14, 0, 0, 1, 0).data()).containsOnly(0);
    }
  }

  @Test
  void writeSameWithUnmapOnAThinDiskDeallocates() throws Exception {
    try (UnitFixture f = UnitFixture.disk(UnitFixture.spec(false, true, 512))) {
      f.write(UnitFixture.filled(65536, 1), 0x2A, 0, 0, 0, 0, 0, 0, 0, 128, 0).good();
      f.write(new byte[512], 0x93, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 128, 0, 0).good();
      byte[] status = f.send(0x9E, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0).good().data();
      assertThat(status[8 + 12]).isEqualTo((byte) 1);
      assertThat(f.send(0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0).data()).containsOnly(0);
    }
  }

  @Test
  void writeSameWithUnmapOnAThickDiskIsAnInvalidFieldAndWritesNothing() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.write(UnitFixture.filled(2048, 1), 0x2A, 0, 0, 0, 0, 0, 0, 0, 4, 0).good();

      f.write(new byte[512], 0x41, 0x08, 0, 0, 0, 0, 0, 0, 4, 0).check(5, 0x24, 0).fieldPointer(1);
      f.write(new byte[512], 0x93, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0)
          .check(5, 0x24, 0)
          .fieldPointer(1);

      assertThat(f.send(0x28, 0, 0, 0, 0, 0, 0, 0, 4, 0).data()).containsOnly(1);
    }
  }

  @Test
  void writeSameRejectsAnchorWrongPayloadAndReadOnly() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.write(new byte[512], 0x41, 0x10, 0, 0, 0, 0, 0, 0, 1, 0).check(5, 0x24, 0).fieldPointer(1);
      f.write(new byte[1024], 0x41, 0, 0, 0, 0, 0, 0, 0, 1, 0).check(5, 0x24, 0);
      f.write(new byte[512], 0x41, 0, 0, 0, 0x07, 0xFF, 0, 0, 2, 0).check(5, 0x21, 0);
    }
    try (UnitFixture f = UnitFixture.disk(UnitFixture.spec(true, false, 512))) {
      f.write(new byte[512], 0x41, 0, 0, 0, 0, 0, 0, 0, 1, 0).check(7, 0x27, 0);
    }
  }

  @Test
  void writeSameOfZeroBlocksReachesTheLastBlock() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.write(UnitFixture.filled(512, 3), 0x41, 0, 0, 0, 0x07, 0xF0, 0, 0, 0, 0).good();
      assertThat(f.send(0x28, 0, 0, 0, 0x07, 0xFF, 0, 0, 1, 0).data())
          .isEqualTo(UnitFixture.filled(512, 3));
      f.write(new byte[512], 0x41, 0, 0, 0, 0x08, 0x01, 0, 0, 0, 0).check(5, 0x21, 0);
    }
  }

  @Test
  void preFetchChecksItsRange() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0x34, 0, 0, 0, 0, 0, 0, 0, 8, 0).good();
      f.send(0x90, 0, 0, 0, 0, 0, 0, 0, 0x08, 0, 0, 0, 0, 1, 0, 0).check(5, 0x21, 0);
    }
  }
}
