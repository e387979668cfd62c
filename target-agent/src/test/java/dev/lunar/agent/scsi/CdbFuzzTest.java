package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lunar.agent.model.LunSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;

/**
 * Arbitrary CDBs with arbitrary Data-Out against a disk over a memory store (and the LUN 0
 * controller): {@link LogicalUnit#execute} must always answer with a SAM status, never throw, and
 * keep Data-In within what the initiator allowed.
 */
class CdbFuzzTest {

  /** Opcodes the units implement, so the fuzzer gets past the "invalid opcode" answer quickly. */
  private static final int[] KNOWN =
      new int[] {
        0x00, 0x03, 0x04, 0x08, 0x0a, 0x12, 0x15, 0x16, 0x17, 0x1a, 0x1b, 0x1d, 0x1e, 0x25, 0x28,
        0x2a, 0x2e, 0x2f, 0x35, 0x37, 0x3b, 0x3c, 0x41, 0x42, 0x4d, 0x55, 0x5a, 0x5e, 0x5f, 0x83,
        0x84, 0x88, 0x89, 0x8a, 0x8e, 0x8f, 0x91, 0x93, 0x9e, 0xa0, 0xa3, 0xa8, 0xaa, 0xaf, 0xb7
      };

  private static final int[] CDB_LENGTHS = new int[] {6, 10, 12, 16, 32};

  @FuzzTest(maxDuration = "30s")
  void everyCdbGetsAStatusAndNeverAnException(FuzzedDataProvider input) throws IOException {
    boolean controller = input.consumeBoolean();
    LunSpec spec =
        new LunSpec(
            1,
            null,
            "mem",
            64 << 10,
            input.pickValue(new int[] {512, 4096}),
            input.consumeBoolean(),
            input.consumeBoolean(),
            null,
            null,
            true,
            false,
            0);
    try (LogicalUnit unit =
        controller
            ? LogicalUnits.controller(UnitFixture.CONTEXT)
            : LogicalUnits.open(spec, UnitFixture.CONTEXT)) {
      int commands = input.consumeInt(1, 4);
      for (int i = 0; i < commands && input.remainingBytes() > 0; i++) {
        execute(unit, input);
      }
    }
  }

  private static void execute(LogicalUnit unit, FuzzedDataProvider input) {
    int length = input.consumeBoolean() ? input.pickValue(CDB_LENGTHS) : input.consumeInt(1, 260);
    byte[] cdb = new byte[length];
    byte[] random = input.consumeBytes(length);
    System.arraycopy(random, 0, cdb, 0, random.length);
    if (input.consumeBoolean()) {
      cdb[0] = (byte) input.pickValue(KNOWN);
    }
    int expected = input.consumeInt(0, 1 << 20);
    byte[] out = input.consumeBoolean() ? input.consumeBytes(input.consumeInt(0, 8192)) : null;
    ByteBuf dataOut = out == null ? null : Unpooled.wrappedBuffer(out);
    Nexus nexus = input.consumeBoolean() ? UnitFixture.NEXUS : UnitFixture.OTHER;
    ScsiRequest request = new ScsiRequest(nexus, cdb, dataOut, expected, 1, 7);
    ScsiResult result = unit.execute(request);
    try {
      assertThat(result).as("answer to %s", request).isNotNull();
      assertThat(result.status())
          .isIn(
              ScsiResult.GOOD,
              ScsiResult.CHECK_CONDITION,
              ScsiResult.CONDITION_MET,
              ScsiResult.BUSY,
              ScsiResult.RESERVATION_CONFLICT,
              ScsiResult.TASK_SET_FULL,
              ScsiResult.TASK_ABORTED);
      if (result.status() == ScsiResult.CHECK_CONDITION) {
        assertThat(result.sense()).isNotNull().hasSizeGreaterThanOrEqualTo(8);
      }
    } finally {
      if (result != null && result.dataIn() != null) {
        result.dataIn().release();
      }
      if (dataOut != null) {
        dataOut.release();
      }
    }
  }
}
