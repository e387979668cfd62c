package dev.lunar.agent.iscsi.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.iscsi.pdu.ScsiCommand;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Commands held back while their answers would not leave, without a channel. */
class AnswerShareTest {

  private static final int EIGHT_MIB = 8 << 20;

  private final TransferBudget budget = new TransferBudget(TransferBudget.DEFAULT_BYTES);
  private final List<ScsiTask> started = new ArrayList<>();
  private boolean writable = true;
  private final AnswerShare share =
      new AnswerShare(budget, () -> writable, task -> started.add(task));

  private static ScsiTask read(int itt, int length) {
    ScsiCommand command =
        new ScsiCommand(
            false,
            true,
            true,
            false,
            1,
            LunAddress.encode(1),
            itt,
            length,
            itt,
            0,
            new byte[] {0x28, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
            0,
            Unpooled.EMPTY_BUFFER);
    return new ScsiTask(null, command, 1, null, null);
  }

  /** Starts what the share lets start, reserving its answer as the command flow does. */
  private long startAndReserve(ScsiTask task) {
    share.offer(task);
    return started.contains(task) ? share.reserve(task) : -2;
  }

  @Test
  void aConnectionThatDoesNotReadHoldsItsCommandsInArrivalOrder() {
    writable = false;
    ScsiTask a = read(1, 512);
    ScsiTask b = read(2, 512);
    share.offer(a);
    share.offer(b);
    assertThat(started).isEmpty();

    writable = true;
    share.resume();
    assertThat(started).containsExactly(a, b);
  }

  @Test
  void readsBeyondTheShareWaitUntilEarlierAnswersHaveLeft() {
    long first = startAndReserve(read(1, EIGHT_MIB));
    long second = startAndReserve(read(2, EIGHT_MIB));
    ScsiTask third = read(3, EIGHT_MIB);
    share.offer(third);
    assertThat(started).hasSize(2).doesNotContain(third);
    assertThat(first + second).isEqualTo(AnswerShare.MAX_ANSWER_BYTES);
    assertThat(budget.used()).isEqualTo(AnswerShare.MAX_ANSWER_BYTES);

    share.written(first);
    assertThat(started).last().isEqualTo(third);
    assertThat(budget.used()).isEqualTo(second);
  }

  @Test
  void aSingleReadLargerThanTheShareStillRunsAlone() {
    ScsiTask big = read(1, (int) AnswerShare.MAX_ANSWER_BYTES + 4096);
    assertThat(startAndReserve(big)).isEqualTo(AnswerShare.MAX_ANSWER_BYTES + 4096);
  }

  @Test
  void aReadTheDaemonHasNoRoomForGetsNoReservation() {
    assertThat(budget.tryAcquire(TransferBudget.DEFAULT_BYTES - 100)).isTrue();
    share.offer(read(1, 4096));
    assertThat(share.reserve(started.getFirst())).isEqualTo(-1);
    assertThat(budget.used()).isEqualTo(TransferBudget.DEFAULT_BYTES - 100);
  }
}
