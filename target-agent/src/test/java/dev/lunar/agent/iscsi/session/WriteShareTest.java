package dev.lunar.agent.iscsi.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.iscsi.pdu.ReadyToTransfer;
import dev.lunar.agent.iscsi.pdu.ScsiResponse;
import dev.lunar.agent.scsi.ScsiResult;
import io.netty.buffer.Unpooled;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** One connection's share of the write budget, on an EmbeddedChannel. */
class WriteShareTest {

  private final FakeUnit unit = new FakeUnit(1);
  @AutoClose private final EmbeddedSession target = new EmbeddedSession(Map.of(1, unit));

  @Test
  void aWriteBeyondTheConnectionsShareGetsNoR2tUntilAnEarlierWriteHasRun() {
    int blocks = (int) (WriteShare.MAX_WRITE_BYTES / 512);
    int first = target.nextItt();
    var whole =
        target.command(
            first,
            1,
            new byte[] {
              (byte) 0x8a,
              0,
              0,
              0,
              0,
              0,
              0,
              0,
              0,
              0,
              (byte) (blocks >>> 24),
              (byte) (blocks >>> 16),
              (byte) (blocks >>> 8),
              (byte) blocks,
              0,
              0
            },
            false,
            true,
            blocks * 512,
            Unpooled.EMPTY_BUFFER);
    target.send(whole);
    ReadyToTransfer r2t = (ReadyToTransfer) target.receivedOne();
    assertThat(r2t.desiredDataTransferLength()).isEqualTo(WriteShare.MAX_WRITE_BYTES);

    int second = target.nextItt();
    target.send(target.write10(second, 1, 1, Unpooled.EMPTY_BUFFER));
    assertThat(target.received()).as("the share is full: the second write waits").isEmpty();

    target.send(target.dataOut(first, r2t.ttt(), 0, 0, new byte[blocks * 512], true));
    target.runExecutor(); // WRITE (16) of 16 MiB is too large to run inline

    // The first write's reservation goes back before its answer is sent: the R2T comes first.
    var answers = target.received();
    assertThat(answers).hasSize(2);
    assertThat(((ReadyToTransfer) answers.get(0)).itt()).as("now it asks").isEqualTo(second);
    assertThat(((ScsiResponse) answers.get(1)).status()).isEqualTo(ScsiResult.GOOD);
  }

  @Test
  void aWriteTheDaemonHasNoRoomForIsAnsweredTaskSetFull() {
    long free = TransferBudget.DEFAULT_BYTES - target.registry.bufferedCommandBytes();
    assertThat(target.registry.transferBudget().tryAcquire(free)).isTrue();
    try {
      target.send(target.write10(target.nextItt(), 1, 8, Unpooled.EMPTY_BUFFER));
      target.runExecutor();
      ScsiResponse response = (ScsiResponse) target.receivedOne();
      assertThat(response.status()).isEqualTo(ScsiResult.TASK_SET_FULL);
      assertThat(unit.dataOut).isEmpty();
    } finally {
      target.registry.transferBudget().release(free);
    }
  }
}
