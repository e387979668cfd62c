package dev.lunar.agent.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.iscsi.pdu.ScsiResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * WRITE commands whose Expected Data Transfer Length is shorter than the CDB describes (RFC 7143
 * section 11.4.5.1, overflow), as only a raw initiator sends them with a check of what reached the
 * medium: whole blocks are written, data ending inside a block is refused whole, and the residual
 * is the CDB's length minus the EDTL either way.
 */
class ShortWriteTest {

  private static final long ISID = 0x23d000000017L;
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static final int CHECK_CONDITION = 0x02;
  private static final int ILLEGAL_REQUEST = 0x05;

  /** ASC 0x0E, ASCQ 0x03: INVALID FIELD IN INFORMATION UNIT (SPC-4 annex D). */
  private static final int INVALID_FIELD_IN_INFORMATION_UNIT = 0x0E;

  /** 200 bytes for one block, 700 for two: the data ends inside the first or the second block. */
  @ParameterizedTest
  @CsvSource({"1, 200", "2, 700"})
  void dataEndingInsideABlockIsRefusedWholeWithOverflowAndWritesNothing(int blocks, int sent)
      throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator initiator = loggedIn(target)) {
      write(initiator, 8, blocks, fill(blocks * 512, 'a'));

      ScsiResponse response = writeShort(initiator, 8, blocks, fill(sent, 'b'));

      assertThat(response.status()).isEqualTo(CHECK_CONDITION);
      assertThat(senseKeyAscAscq(response))
          .containsExactly(ILLEGAL_REQUEST, INVALID_FIELD_IN_INFORMATION_UNIT, 0x03);
      assertThat(response.overflow()).isTrue();
      assertThat(response.underflow()).isFalse();
      assertThat(response.residualCount()).isEqualTo(blocks * 512 - sent);
      assertThat(FullFeaturePhaseTest.readBack(initiator, 8, blocks)).containsOnly('a');
    }
  }

  @Test
  void dataEndingOnABlockBoundaryWritesTheWholeBlocksSentWithOverflow() throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator initiator = loggedIn(target)) {
      write(initiator, 12, 2, fill(1024, 'a'));

      ScsiResponse response = writeShort(initiator, 12, 2, fill(512, 'b'));
      response.data().release();

      assertThat(response.status()).isZero();
      assertThat(response.overflow()).isTrue();
      assertThat(response.residualCount()).isEqualTo(512);
      byte[] read = FullFeaturePhaseTest.readBack(initiator, 12, 2);
      assertThat(Arrays.copyOfRange(read, 0, 512)).containsOnly('b');
      assertThat(Arrays.copyOfRange(read, 512, 1024)).containsOnly('a');
    }
  }

  private static RawInitiator loggedIn(InProcessTarget target) {
    RawInitiator initiator = target.initiator();
    initiator.login(
        InProcessTarget.IQN, ISID, 0, 0, Map.of("ImmediateData", "Yes", "InitialR2T", "No"));
    initiator.takePowerOnAttention();
    return initiator;
  }

  /** A whole write, all of it immediate data; must be GOOD. */
  private static void write(RawInitiator initiator, int lba, int blocks, byte[] data) {
    ScsiResponse response = writeShort(initiator, lba, blocks, data);
    response.data().release();
    assertThat(response.status()).isZero();
    assertThat(response.residualCount()).isZero();
  }

  /** WRITE (10) of {@code blocks} whose EDTL is the length of {@code data}, sent immediate. */
  private static ScsiResponse writeShort(RawInitiator initiator, int lba, int blocks, byte[] data) {
    initiator.send(
        Pdus.write10(
            initiator.nextItt(),
            initiator.takeCmdSn(),
            initiator.expStatSn(),
            lba,
            blocks,
            data.length,
            Unpooled.wrappedBuffer(data),
            true));
    return (ScsiResponse) initiator.receive(WAIT);
  }

  /** Sense key, ASC and ASCQ of the fixed-format sense after the 2-byte SenseLength. */
  private static int[] senseKeyAscAscq(ScsiResponse response) {
    ByteBuf data = response.data();
    try {
      byte[] sense = ByteBufUtil.getBytes(data, data.readerIndex() + 2, data.readableBytes() - 2);
      return new int[] {sense[2] & 0x0f, sense[12] & 0xff, sense[13] & 0xff};
    } finally {
      data.release();
    }
  }

  private static byte[] fill(int length, char value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }
}
