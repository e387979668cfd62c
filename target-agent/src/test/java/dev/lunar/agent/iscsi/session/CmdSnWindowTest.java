package dev.lunar.agent.iscsi.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The session's command window (RFC 7143 section 4.2.2.1), without connections. */
class CmdSnWindowTest {

  private final List<Integer> delivered = new ArrayList<>();
  private final CmdSnWindow window = new CmdSnWindow(10, 4);

  private CmdSnWindow.Verdict offer(int cmdSn) {
    return window.offer(cmdSn, false, () -> delivered.add(cmdSn));
  }

  @Test
  void commandsInOrderAreDeliveredAtOnce() {
    assertThat(offer(10)).isEqualTo(CmdSnWindow.Verdict.DELIVERED);
    assertThat(offer(11)).isEqualTo(CmdSnWindow.Verdict.DELIVERED);
    assertThat(delivered).containsExactly(10, 11);
    assertThat(window.expCmdSn()).isEqualTo(12);
  }

  @Test
  void aCommandAheadOfExpCmdSnWaitsUntilTheGapCloses() {
    assertThat(offer(12)).isEqualTo(CmdSnWindow.Verdict.QUEUED);
    assertThat(offer(11)).isEqualTo(CmdSnWindow.Verdict.QUEUED);
    assertThat(delivered).isEmpty();
    assertThat(window.queued()).isEqualTo(2);

    assertThat(offer(10)).isEqualTo(CmdSnWindow.Verdict.DELIVERED);
    assertThat(delivered).containsExactly(10, 11, 12);
    assertThat(window.queued()).isZero();
  }

  @Test
  void commandsOutsideTheWindowAndDuplicatesAreDropped() {
    offer(10);
    assertThat(offer(10)).as("below ExpCmdSN").isEqualTo(CmdSnWindow.Verdict.DROPPED);
    assertThat(offer(11 + 4)).as("beyond MaxCmdSN").isEqualTo(CmdSnWindow.Verdict.DROPPED);
    assertThat(offer(12)).isEqualTo(CmdSnWindow.Verdict.QUEUED);
    assertThat(offer(12)).as("already queued").isEqualTo(CmdSnWindow.Verdict.DROPPED);
    assertThat(delivered).containsExactly(10);
  }

  @Test
  void anImmediateCommandSkipsTheQueueAndTakesNoSlot() {
    int max = window.maxCmdSn();
    assertThat(window.offer(10, true, () -> delivered.add(-1)))
        .isEqualTo(CmdSnWindow.Verdict.DELIVERED);
    assertThat(delivered).containsExactly(-1);
    assertThat(window.expCmdSn()).isEqualTo(10);
    assertThat(window.maxCmdSn()).isEqualTo(max);
  }

  @Test
  void maxCmdSnMovesOnlyAsRunningCommandsComplete() {
    for (int sn = 10; sn < 14; sn++) {
      offer(sn);
    }
    // Four running in a window four deep: the window never closes, it admits one more.
    assertThat(window.maxCmdSn()).isEqualTo(14);
    window.completed();
    assertThat(window.maxCmdSn()).as("three running").isEqualTo(14);
    window.completed();
    window.completed();
    assertThat(window.maxCmdSn()).as("one running").isEqualTo(16);
  }
}
