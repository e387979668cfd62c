package dev.lunar.agent.iscsi.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.iscsi.pdu.DataIn;
import dev.lunar.agent.iscsi.pdu.Pdu;
import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.scsi.LogicalUnit;
import dev.lunar.agent.scsi.LogicalUnits;
import dev.lunar.agent.scsi.LunContext;
import dev.lunar.agent.scsi.ScsiResult;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large reads of a file-backed LUN leave as file regions (sent with {@code sendfile}), cut into
 * Data-In PDUs like buffered reads; small reads, and reads under a data digest, stay buffered.
 */
class FileDataInTest {

  private static final int FILE_BYTES = 2 << 20;

  @TempDir Path dir;
  private LogicalUnit unit;
  private byte[] content;

  @BeforeEach
  void fileLun() throws IOException {
    content = new byte[FILE_BYTES];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31 + (i >>> 9));
    }
    Path file = dir.resolve("lun1.img");
    Files.write(file, content);
    unit =
        LogicalUnits.open(
            LunSpec.tgtDefault(1, 1, file.toString()),
            new LunContext(1, EmbeddedSession.IQN, () -> new int[] {0, 1}));
  }

  @AfterEach
  void closeLun() throws Exception {
    unit.close();
  }

  /** READ (10) of {@code blocks} 512-byte blocks from {@code lba}. */
  private static ScsiCommandSpec read10(int lba, int blocks) {
    return new ScsiCommandSpec(
        new byte[] {
          0x28,
          0,
          (byte) (lba >>> 24),
          (byte) (lba >>> 16),
          (byte) (lba >>> 8),
          (byte) lba,
          0,
          (byte) (blocks >>> 8),
          (byte) blocks,
          0
        },
        blocks * 512);
  }

  private record ScsiCommandSpec(byte[] cdb, int length) {}

  /** Takes the fresh LUN's power-on unit attention with a TEST UNIT READY. */
  private static EmbeddedSession attentive(EmbeddedSession target) {
    target.send(target.testUnitReady(target.nextItt(), 1));
    target.runExecutor();
    target.received().forEach(Pdu::release);
    return target;
  }

  private List<Pdu> read(EmbeddedSession target, int itt, ScsiCommandSpec read, boolean[] file) {
    target.channel.writeInbound(
        target.command(itt, 1, read.cdb(), true, false, read.length(), Unpooled.EMPTY_BUFFER));
    target.channel.runPendingTasks();
    file[0] = target.sentFileRegion();
    return target.received();
  }

  private byte[] expected(int lba, int blocks) {
    return Arrays.copyOfRange(content, lba * 512, (lba + blocks) * 512);
  }

  @Test
  void aLargeReadIsSentFromTheFileInSegmentsWithTheStatusInTheLast() {
    try (EmbeddedSession target = attentive(new EmbeddedSession(Map.of(1, unit)))) {
      int itt = target.nextItt();
      boolean[] file = new boolean[1];
      List<Pdu> answers = read(target, itt, read10(8, 1024), file); // 512 KiB, two segments

      assertThat(file[0]).as("sent as file regions").isTrue();
      assertThat(answers).hasSize(2).allMatch(p -> p instanceof DataIn);
      DataIn first = (DataIn) answers.get(0);
      DataIn last = (DataIn) answers.get(1);
      assertThat(first.dataSn()).isZero();
      assertThat(first.bufferOffset()).isZero();
      assertThat(first.statusPresent()).isFalse();
      assertThat(last.dataSn()).isEqualTo(1);
      assertThat(last.bufferOffset()).isEqualTo(262144);
      assertThat(last.finalFlag()).isTrue();
      assertThat(last.statusPresent()).isTrue();
      assertThat(last.status()).isEqualTo(ScsiResult.GOOD);
      byte[] data = new byte[512 * 1024];
      first.data().readBytes(data, 0, 262144);
      last.data().readBytes(data, 262144, 262144);
      first.data().release();
      last.data().release();
      assertThat(data).isEqualTo(expected(8, 1024));
      assertThat(target.registry.bufferedCommandBytes()).as("budget back once sent").isZero();
    }
  }

  @Test
  void aReadShorterThanItsExpectedLengthReportsTheUnderflow() {
    try (EmbeddedSession target = attentive(new EmbeddedSession(Map.of(1, unit)))) {
      int itt = target.nextItt();
      byte[] cdb = read10(0, 256).cdb();
      target.channel.writeInbound(
          target.command(itt, 1, cdb, true, false, 256 * 512 + 4096, Unpooled.EMPTY_BUFFER));
      target.channel.runPendingTasks();
      assertThat(target.sentFileRegion()).isTrue();
      DataIn last = (DataIn) target.receivedOne();
      assertThat(last.underflow()).isTrue();
      assertThat(last.residualCount()).isEqualTo(4096);
      assertThat(ByteBufUtil.getBytes(last.data())).isEqualTo(expected(0, 256));
      last.data().release();
    }
  }

  @Test
  void aSmallReadStaysBuffered() {
    try (EmbeddedSession target = attentive(new EmbeddedSession(Map.of(1, unit)))) {
      boolean[] file = new boolean[1];
      List<Pdu> answers = read(target, target.nextItt(), read10(3, 8), file);
      assertThat(file[0]).isFalse();
      DataIn only = (DataIn) answers.getFirst();
      assertThat(ByteBufUtil.getBytes(only.data())).isEqualTo(expected(3, 8));
      only.data().release();
    }
  }

  @Test
  void underADataDigestALargeReadIsBufferedAndDigested() {
    TransferLimits digests =
        new TransferLimits(262144, 262144, true, true, 65536, 32 << 20, 1, true, true);
    try (EmbeddedSession target = attentive(new EmbeddedSession(Map.of(1, unit), digests))) {
      boolean[] file = new boolean[1];
      List<Pdu> answers = read(target, target.nextItt(), read10(0, 512), file);
      assertThat(file[0]).isFalse();
      DataIn only = (DataIn) answers.getFirst();
      assertThat(only.statusPresent()).isTrue();
      assertThat(ByteBufUtil.getBytes(only.data())).isEqualTo(expected(0, 512));
      only.data().release();
    }
  }
}
