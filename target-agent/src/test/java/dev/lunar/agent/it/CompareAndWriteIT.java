package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COMPARE AND WRITE as the lock VMware's ATS makes of it: two sessions (two initiators, so two I_T
 * nexuses on separate connections) each increment a counter kept in one block, reading it and then
 * swapping the old value for the next one, retrying on MISCOMPARE. Were the compare and the write
 * not atomic against each other's, two increments could both succeed from the same old value and
 * one would be lost; the final count proves none was.
 */
class CompareAndWriteIT {

  private static final String IQN = "iqn.2026-11.dev.lunar.it:caw";
  private static final int BLOCK = 512;
  private static final int INCREMENTS_EACH = 1000;
  private static final int SENSE_KEY_MISCOMPARE = 0x0e;

  @TempDir Path dir;

  @Test
  void twoSessionsIncrementingOneBlockNeverLoseAnUpdate() throws Exception {
    Path disk = Disks.sparse(dir.resolve("disk.img"), 16L << 20);
    try (Daemon daemon = new Daemon(dir).start().exportDisk(IQN, disk);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> sessions = new ArrayList<>();
      for (String initiator :
          List.of("iqn.2026-11.dev.lunar.it:ats-a", "iqn.2026-11.dev.lunar.it:ats-b")) {
        sessions.add(pool.submit(() -> increment(daemon, initiator)));
      }
      int miscompares = 0;
      for (Future<Integer> session : sessions) {
        miscompares += session.get();
      }

      try (RawSession check = RawSession.login(daemon, "iqn.2026-11.dev.lunar.it:check", IQN)) {
        assertThat(counter(check)).as("increments that survived").isEqualTo(2L * INCREMENTS_EACH);
      }
      System.out.printf(
          "CompareAndWriteIT: 2 sessions x %d increments by COMPARE AND WRITE on one block: final"
              + " count %d, %d miscompares retried%n",
          INCREMENTS_EACH, 2 * INCREMENTS_EACH, miscompares);
    }
  }

  /** Increments the counter {@link #INCREMENTS_EACH} times; returns how many swaps lost a race. */
  private static int increment(Daemon daemon, String initiator) throws Exception {
    int miscompares = 0;
    try (RawSession session = RawSession.login(daemon, initiator, IQN)) {
      int done = 0;
      while (done < INCREMENTS_EACH) {
        long seen = counter(session);
        RawSession.Reply reply = session.command(compareAndWrite(), swap(seen, seen + 1), 0);
        if (reply.status() == 0) {
          done++;
        } else {
          assertThat(reply.status()).as("COMPARE AND WRITE status").isEqualTo(0x02);
          assertThat(reply.sense()[2] & 0x0f).as("sense key").isEqualTo(SENSE_KEY_MISCOMPARE);
          miscompares++;
        }
      }
    }
    return miscompares;
  }

  /** READ (10) of block 0; the counter is its first eight bytes. */
  private static long counter(RawSession session) throws Exception {
    byte[] read = {0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0};
    RawSession.Reply reply = session.command(read, null, BLOCK);
    assertThat(reply.status()).as("READ status").isZero();
    return ByteBuffer.wrap(reply.dataIn()).getLong(0);
  }

  /** COMPARE AND WRITE of one block at LBA 0 (SBC-3 5.2). */
  private static byte[] compareAndWrite() {
    byte[] cdb = new byte[16];
    cdb[0] = (byte) 0x89;
    cdb[13] = 1;
    return cdb;
  }

  /** The data-out of a compare and write: the block expected, then the block to write. */
  private static byte[] swap(long expected, long next) {
    ByteBuffer data = ByteBuffer.allocate(2 * BLOCK);
    data.putLong(0, expected);
    data.putLong(BLOCK, next);
    return data.array();
  }
}
