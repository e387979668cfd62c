package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.storage.MemoryBackingStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistentReservationTest {

  @TempDir Path dir;

  private static byte[] params(long key, long actionKey) {
    byte[] list = new byte[24];
    Bytes.putU64(list, 0, key);
    Bytes.putU64(list, 8, actionKey);
    return list;
  }

  private static UnitFixture.Answer out(
      UnitFixture f, Nexus nexus, int action, int type, long key, long actionKey) {
    return f.send(nexus, params(key, actionKey), 0x5F, action, type, 0, 0, 0, 0, 0, 24, 0);
  }

  private static byte[] in(UnitFixture f, int action) {
    return f.send(0x5E, action, 0, 0, 0, 0, 0, 0x10, 0, 0).good().data();
  }

  private static int status(UnitFixture.Answer a) {
    return a.result().status();
  }

  @Test
  void registerShowsUpInReadKeysAndBumpsTheGeneration() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      out(f, UnitFixture.NEXUS, 0, 0, 0, 0xABCL).good();
      byte[] keys = in(f, 0);
      assertThat(Bytes.u32(keys, 0)).isEqualTo(1);
      assertThat(Bytes.u32(keys, 4)).isEqualTo(8);
      assertThat(Bytes.u64(keys, 8)).isEqualTo(0xABC);
    }
  }

  @Test
  void registeringWithAWrongKeyConflicts() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      out(f, UnitFixture.NEXUS, 0, 0, 0, 1).good();
      assertThat(status(out(f, UnitFixture.NEXUS, 0, 0, 2, 3)))
          .isEqualTo(ScsiResult.RESERVATION_CONFLICT);
      out(f, UnitFixture.NEXUS, 6, 0, 0, 3).good();
      assertThat(Bytes.u64(in(f, 0), 8)).isEqualTo(3);
    }
  }

  @Test
  void exclusiveAccessBlocksOtherNexusesUntilRelease() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.clearAttention(UnitFixture.OTHER);
      out(f, UnitFixture.NEXUS, 0, 0, 0, 1).good();
      out(f, UnitFixture.NEXUS, 1, 3, 1, 0).good();
      byte[] r = in(f, 1);
      assertThat(Bytes.u64(r, 8)).isEqualTo(1);
      assertThat(r[21]).isEqualTo((byte) 3);
      assertThat(status(f.send(UnitFixture.OTHER, null, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0)))
          .isEqualTo(ScsiResult.RESERVATION_CONFLICT);
      f.send(UnitFixture.OTHER, null, 0x12, 0, 0, 0, 36, 0).good();
      f.send(0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0).good();
      out(f, UnitFixture.NEXUS, 2, 1, 1, 0).check(5, 0x26, 0x04);
      out(f, UnitFixture.NEXUS, 2, 3, 1, 0).good();
      f.send(UnitFixture.OTHER, null, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0).good();
    }
  }

  @Test
  void writeExclusiveLetsOthersReadButNotWrite() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.clearAttention(UnitFixture.OTHER);
      out(f, UnitFixture.NEXUS, 0, 0, 0, 1).good();
      out(f, UnitFixture.NEXUS, 1, 1, 1, 0).good();
      f.send(UnitFixture.OTHER, null, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0).good();
      assertThat(status(f.send(UnitFixture.OTHER, new byte[512], 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0)))
          .isEqualTo(ScsiResult.RESERVATION_CONFLICT);
      assertThat(status(f.send(UnitFixture.OTHER, null, 0x16, 0, 0, 0, 0, 0)))
          .isEqualTo(ScsiResult.RESERVATION_CONFLICT);
    }
  }

  @Test
  void preemptTakesTheReservationAndTellsTheLoser() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.clearAttention(UnitFixture.OTHER);
      out(f, UnitFixture.NEXUS, 0, 0, 0, 1).good();
      out(f, UnitFixture.OTHER, 0, 0, 0, 2).good();
      out(f, UnitFixture.NEXUS, 1, 3, 1, 0).good();
      out(f, UnitFixture.OTHER, 4, 3, 2, 1).good();
      f.send(0x00, 0, 0, 0, 0, 0).check(6, 0x2A, 0x05);
      assertThat(in(f, 0)).hasSize(16);
      byte[] full = in(f, 3);
      assertThat(Bytes.u64(full, 8)).isEqualTo(2);
      assertThat(full[8 + 12] & 1).isEqualTo(1);
      assertThat(full[8 + 24]).isEqualTo((byte) 0x45);
    }
  }

  @Test
  void clearRemovesEverything() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      out(f, UnitFixture.NEXUS, 0, 0, 0, 1).good();
      out(f, UnitFixture.NEXUS, 1, 5, 1, 0).good();
      out(f, UnitFixture.NEXUS, 3, 0, 1, 0).good();
      assertThat(Bytes.u32(in(f, 0), 4)).isZero();
      assertThat(Bytes.u32(in(f, 1), 4)).isZero();
    }
  }

  @Test
  void badParameterListAndTypeAreRejected() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.send(UnitFixture.NEXUS, new byte[16], 0x5F, 0, 0, 0, 0, 0, 0, 0, 16, 0).check(5, 0x1A, 0);
      out(f, UnitFixture.NEXUS, 1, 2, 0, 0).check(5, 0x24, 0);
      byte[] aptpl = params(0, 1);
      aptpl[20] = 1;
      f.send(UnitFixture.NEXUS, aptpl, 0x5F, 0, 0, 0, 0, 0, 0, 0, 24, 0).check(5, 0x26, 0);
      f.send(0x5E, 9, 0, 0, 0, 0, 0, 0x10, 0, 0).check(5, 0x24, 0);
    }
  }

  @Test
  void reportCapabilitiesListsTheTypes() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      byte[] caps = in(f, 2);
      assertThat(Bytes.u16(caps, 0)).isEqualTo(8);
      assertThat(caps[4] & 0xff).isEqualTo(0xEA);
    }
  }

  /** A unit over {@code store} whose APTPL state lives in {@code dir}. */
  private ScsiUnit persistentUnit(MemoryBackingStore store) {
    UnitIdentity identity =
        new UnitIdentity(0, 1, "iqn.t", "disk", "id", "sn", 0x3000000000000001L, false);
    LunContext context = new LunContext(1, "iqn.t", () -> new int[] {0, 1}, l -> null, dir, false);
    return new ScsiUnit(
        identity,
        new Disk(store, 512, false, false),
        true,
        false,
        new ReservationStore(dir.resolve("lun1-reservations.properties")),
        unit -> DiskCommands.table(unit, context));
  }

  @Test
  void aptplKeepsRegistrationsAndTheReservationAcrossARestart() throws Exception {
    MemoryBackingStore store = new MemoryBackingStore(1 << 20);
    ScsiUnit first = persistentUnit(store);
    byte[] register = params(0, 0xABCD);
    register[20] = 1;
    first.execute(new ScsiRequest(UnitFixture.NEXUS, new byte[6], null, 0, 1, 0));
    ScsiResult registered =
        first.execute(
            new ScsiRequest(
                UnitFixture.NEXUS,
                new byte[] {0x5F, 0, 0, 0, 0, 0, 0, 0, 24, 0},
                io.netty.buffer.Unpooled.wrappedBuffer(register),
                0,
                1,
                0));
    assertThat(registered.status()).isEqualTo(ScsiResult.GOOD);
    ScsiResult reserved =
        first.execute(
            new ScsiRequest(
                UnitFixture.NEXUS,
                new byte[] {0x5F, 1, 3, 0, 0, 0, 0, 0, 24, 0},
                io.netty.buffer.Unpooled.wrappedBuffer(params(0xABCD, 0)),
                0,
                1,
                0));
    assertThat(reserved.status()).isEqualTo(ScsiResult.GOOD);

    ScsiUnit second = persistentUnit(store);
    assertThat(second.persistentReservations().keys()).containsExactly(0xABCDL);
    assertThat(second.persistentReservations().type()).isEqualTo(3);
    assertThat(second.persistentReservations().isHolder(UnitFixture.NEXUS)).isTrue();
    assertThat(second.persistentReservations().persistenceActive()).isTrue();
  }
}
