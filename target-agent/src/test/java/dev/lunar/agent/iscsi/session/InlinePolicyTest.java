package dev.lunar.agent.iscsi.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lunar.agent.iscsi.pdu.ScsiCommand;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class InlinePolicyTest {

  private static final int LUN = 1;
  private static final long FAST = 20_000;
  private static final long SLOW = 5_000_000;

  private long now = 1_000_000_000L;
  private final InlinePolicy policy = new InlinePolicy(() -> now);

  private static ScsiCommand command(int length, int... cdbBytes) {
    byte[] cdb = new byte[16];
    for (int i = 0; i < cdbBytes.length; i++) {
      cdb[i] = (byte) cdbBytes[i];
    }
    return new ScsiCommand(
        false, true, true, false, 1, 0, 1, length, 1, 1, cdb, 0, Unpooled.EMPTY_BUFFER);
  }

  private static final ScsiCommand READ_4K = command(4096, 0x28);

  private void run(long nanos) {
    assertTrue(policy.allows(READ_4K, LUN));
    long started = policy.started();
    now += nanos;
    policy.finished(LUN, started);
  }

  @Test
  void plainReadsAndWritesRunInline() {
    assertTrue(policy.allows(command(4096, 0x28), LUN));
    assertTrue(policy.allows(command(4096, 0x88), LUN));
    assertTrue(policy.allows(command(4096, 0x2A), LUN));
    assertTrue(policy.allows(command(4096, 0x8A), LUN));
    assertTrue(policy.allows(command(1 << 20, 0x08), LUN));
  }

  @Test
  void everythingElseKeepsTheExecutor() {
    assertFalse(policy.allows(command(0, 0x35), LUN), "SYNCHRONIZE CACHE");
    assertFalse(policy.allows(command(4096, 0x2A, 0x08), LUN), "WRITE (10) with FUA");
    assertFalse(policy.allows(command(4096, 0x8A, 0x08), LUN), "WRITE (16) with FUA");
    assertFalse(policy.allows(command(512, 0x89), LUN), "COMPARE AND WRITE");
    assertFalse(policy.allows(command(512, 0x93), LUN), "WRITE SAME (16)");
    assertFalse(policy.allows(command((1 << 20) + 1, 0x28), LUN), "over the inline size");
  }

  @Test
  void anOccasionalSlowCommandIsTolerated() {
    for (int i = 0; i < 10 * InlinePolicy.WINDOW; i++) {
      run(i % InlinePolicy.WINDOW == 0 ? SLOW : FAST);
    }
    assertFalse(policy.backedOff(LUN));
  }

  @Test
  void aLunThatKeepsBlockingMovesToTheExecutorThenIsProbedAgain() {
    for (int i = 0; i < InlinePolicy.SLOW_LIMIT; i++) {
      run(SLOW);
    }
    assertTrue(policy.backedOff(LUN));
    assertFalse(policy.allows(READ_4K, LUN));
    assertTrue(policy.allows(READ_4K, 2), "other LUNs are not affected");

    now += InlinePolicy.BACKOFF_NANOS;
    run(SLOW); // the probe: one slow command is enough on probation
    assertTrue(policy.backedOff(LUN));
    now += InlinePolicy.BACKOFF_NANOS;
    assertFalse(policy.allows(READ_4K, LUN), "the second back-off lasts twice as long");
    now += InlinePolicy.BACKOFF_NANOS;
    assertTrue(policy.allows(READ_4K, LUN));
  }

  @Test
  void aLunThatPassesProbationIsTrustedAgain() {
    for (int i = 0; i < InlinePolicy.SLOW_LIMIT; i++) {
      run(SLOW);
    }
    now += InlinePolicy.BACKOFF_NANOS;
    for (int i = 0; i < InlinePolicy.WINDOW; i++) {
      run(FAST);
    }
    run(SLOW);
    assertFalse(policy.backedOff(LUN), "trusted again: one slow command is tolerated");
  }
}
