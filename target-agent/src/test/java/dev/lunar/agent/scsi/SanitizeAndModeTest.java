package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.model.LunSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SanitizeAndModeTest {

  @TempDir Path dir;

  /** An OVERWRITE parameter list: one pass of {@code pattern}. */
  private static byte[] overwriteList(byte[] pattern, int control) {
    byte[] list = new byte[4 + pattern.length];
    list[0] = (byte) control;
    Bytes.putU16(list, 2, pattern.length);
    System.arraycopy(pattern, 0, list, 4, pattern.length);
    return list;
  }

  @Test
  void overwriteRepeatsThePatternOverEveryBlock() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] list = overwriteList(new byte[] {1, 2, 3}, 1);
      f.write(list, 0x48, 0x01, 0, 0, 0, 0, 0, 0, list.length, 0).good();
      byte[] block = f.send(0x28, 0, 0, 0, 0x07, (byte) 0xFF, 0, 0, 1, 0).good().data();
      assertThat(block[0]).isEqualTo((byte) 1);
      assertThat(block[510]).as("the pattern restarts with each block").isEqualTo((byte) 1);
      assertThat(block[511]).isEqualTo((byte) 2);
    }
  }

  @Test
  void overwriteParameterMistakesAreInvalidFields() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.write(new byte[4], 0x48, 0x01, 0, 0, 0, 0, 0, 0, 4, 0).check(5, 0x24, 0);
      byte[] noPasses = overwriteList(new byte[] {1}, 0);
      f.write(noPasses, 0x48, 0x01, 0, 0, 0, 0, 0, 0, noPasses.length, 0).check(5, 0x26, 0);
      f.send(0x48, 0x41, 0, 0, 0, 0, 0, 0, 0, 0).check(5, 0x24, 0);
      f.send(0x48, 0x02, 0, 3, 0, 0, 0, 0, 0, 0).check(5, 0x24, 0);
      f.send(0x48, 0x07, 0, 0, 0, 0, 0, 0, 0, 0).check(5, 0x24, 0);
    }
  }

  @Test
  void blockEraseDeallocatesEverythingOnAThinUnit() throws Exception {
    try (UnitFixture f = UnitFixture.disk(UnitFixture.spec(false, true, 512))) {
      f.write(UnitFixture.filled(512, 9), 0x2A, 0, 0, 0, 0, 5, 0, 0, 1, 0).good();
      f.send(0x48, 0x02, 0, 0, 0, 0, 0, 0, 0, 0).good();
      assertThat(f.send(0x28, 0, 0, 0, 0, 5, 0, 0, 1, 0).good().data()).containsOnly(0);
      byte[] status = f.send(0x9E, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0).data();
      assertThat(status[20]).isEqualTo((byte) 1);
    }
  }

  @Test
  void eraseNeedsAThinUnitAndWritesNeedAWritableOne() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(0x48, 0x02, 0, 0, 0, 0, 0, 0, 0, 0).check(5, 0x24, 0);
    }
    try (UnitFixture f = UnitFixture.disk(UnitFixture.spec(true, false, 512))) {
      byte[] list = overwriteList(new byte[] {1}, 1);
      f.write(list, 0x48, 0x01, 0, 0, 0, 0, 0, 0, list.length, 0).check(7, 0x27, 0);
      f.send(0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0).check(7, 0x27, 0);
    }
  }

  /**
   * 16 MiB: eight overwrite passes at the sanitizer's 128 MiB/s take a second, long enough for the
   * commands a test sends meanwhile, short enough when the fuzz tests' instrumentation (loaded into
   * the same JVM) slows every loop down.
   */
  private static final LunSpec SIXTEEN_MIB =
      new LunSpec(1, null, "mem", 16 << 20, 512, false, false, null, null, true, false, 0);

  private static final int PASSES = 8;

  @Test
  void commandsWaitOutAnImmediateSanitize() throws Exception {
    try (UnitFixture f = UnitFixture.disk(SIXTEEN_MIB)) {
      ScsiUnit unit = (ScsiUnit) f.unit;
      byte[] list = overwriteList(new byte[] {5}, PASSES);
      f.write(list, 0x48, 0x81, 0, 0, 0, 0, 0, 0, list.length, 0).good();
      assertThat(unit.sanitizer().inProgress()).isTrue();
      f.send(0x00, 0, 0, 0, 0, 0).check(2, 0x04, 0x1B);
      f.send(0x12, 0, 0, 0, 36, 0).good();
      byte[] sense = f.send(0x03, 0, 0, 0, 18, 0).good().data();
      assertThat(new int[] {sense[2], sense[12], sense[13]}).containsExactly(2, 0x04, 0x1B);
      while (unit.sanitizer().inProgress()) {
        Thread.sleep(10);
      }
      f.send(0x00, 0, 0, 0, 0, 0).good();
    }
  }

  @Test
  void abortingTheWaitingCommandLeavesTheSanitizeRunning() throws Exception {
    try (UnitFixture f = UnitFixture.disk(SIXTEEN_MIB)) {
      ScsiUnit unit = (ScsiUnit) f.unit;
      byte[] list = overwriteList(new byte[] {5}, PASSES);
      var waiting =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> f.write(list, 0x48, 0x01, 0, 0, 0, 0, 0, 0, list.length, 0));
      while (!unit.sanitizer().inProgress()) {
        Thread.sleep(5);
      }
      unit.abortTask(UnitFixture.NEXUS, 7);
      waiting.get().check(0x0B, 0, 0);
      assertThat(unit.sanitizer().inProgress()).isTrue();
      while (unit.sanitizer().inProgress()) {
        Thread.sleep(10);
      }
    }
  }

  /** MODE SELECT (6) of the control page with D_SENSE and SWP as given. */
  private static byte[] controlPage(boolean descriptorSense, boolean softwareWriteProtect) {
    byte[] list = new byte[4 + 12];
    list[4] = 0x0A;
    list[5] = 10;
    list[6] = (byte) (descriptorSense ? 0x04 : 0);
    list[7] = 0x10;
    list[8] = (byte) (softwareWriteProtect ? 0x08 : 0);
    Bytes.putU16(list, 12, 0xFFFF);
    return list;
  }

  @Test
  void softwareWriteProtectRefusesWritesAndWarnsOthers() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.clearAttention(UnitFixture.OTHER);
      byte[] list = controlPage(false, true);
      f.write(list, 0x15, 0x10, 0, 0, list.length, 0).good();
      f.write(new byte[512], 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0).check(7, 0x27, 0);
      byte[] sense = f.send(0x1A, 0, 0x0A, 0, 255, 0).good().data();
      assertThat(sense[2] & 0x80).isEqualTo(0x80);
      f.send(UnitFixture.OTHER, null, 0x00, 0, 0, 0, 0, 0).check(6, 0x2A, 0x01);
    }
  }

  @Test
  void descriptorSenseFollowsDSense() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] list = controlPage(true, false);
      f.write(list, 0x15, 0x10, 0, 0, list.length, 0).good();
      ScsiResult result = f.send(0x88, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 1, 0, 0).result();
      assertThat(result.sense()[0]).isEqualTo((byte) 0x72);
      assertThat(new int[] {result.sense()[1], result.sense()[2]}).containsExactly(5, 0x21);
    }
  }

  @Test
  void savedModeValuesSurviveReopening() throws Exception {
    LunContext context =
        new LunContext(
            1, "iqn.2026-11.dev.lunar:disk", () -> new int[] {0, 1}, l -> null, dir, false);
    try (LogicalUnit unit = LogicalUnits.open(UnitFixture.spec(false, false, 512), context)) {
      byte[] list = controlPage(true, false);
      unit.execute(new ScsiRequest(UnitFixture.NEXUS, new byte[6], null, 0, 1, 0));
      ScsiResult saved =
          unit.execute(
              new ScsiRequest(
                  UnitFixture.NEXUS,
                  new byte[] {0x15, 0x11, 0, 0, (byte) list.length, 0},
                  io.netty.buffer.Unpooled.wrappedBuffer(list),
                  0,
                  1,
                  0));
      assertThat(saved.status()).isEqualTo(ScsiResult.GOOD);
    }
    assertThat(Files.list(dir)).isNotEmpty();
    try (LogicalUnit unit = LogicalUnits.open(UnitFixture.spec(false, false, 512), context)) {
      assertThat(((ScsiUnit) unit).disk().descriptorSense()).isTrue();
    }
  }
}
