package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CompareAndWriteCommandTest {

  private static byte[] casData(int expected, int replacement) {
    byte[] data = new byte[1024];
    Arrays.fill(data, 0, 512, (byte) expected);
    Arrays.fill(data, 512, 1024, (byte) replacement);
    return data;
  }

  private static int[] cdb(int lba) {
    return new int[] {0x89, 0, 0, 0, 0, 0, 0, 0, 0, lba, 0, 0, 0, 1, 0, 0};
  }

  @Test
  void matchingBlockIsReplaced() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      ScsiResult r = f.write(casData(0, 9), cdb(5)).good().result();
      assertThat(r.dataOutWanted()).isEqualTo(1024);
      byte[] block = f.send(0x28, 0, 0, 0, 0, 5, 0, 0, 1, 0).data();
      assertThat(block).containsOnly(9);
    }
  }

  @Test
  void differingBlockIsAMiscompareAndStaysUnchanged() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      f.write(casData(1, 9), cdb(5)).check(0x0E, 0x1D, 0);
      assertThat(f.send(0x28, 0, 0, 0, 0, 5, 0, 0, 1, 0).data()).containsOnly(0);
    }
  }

  @Test
  void moreThanOneBlockIsAnInvalidField() throws Exception {
    try (UnitFixture f = UnitFixture.disk()) {
      int[] two = cdb(0);
      two[13] = 2;
      f.write(new byte[2048], two).check(5, 0x24, 0).fieldPointer(13);
    }
  }

  @Test
  void concurrentCompareAndWritesActAsALock() throws Exception {
    try (UnitFixture f = UnitFixture.disk();
        ExecutorService pool = Executors.newFixedThreadPool(4)) {
      AtomicInteger winners = new AtomicInteger();
      Future<?>[] tasks = new Future<?>[8];
      for (int i = 0; i < tasks.length; i++) {
        int value = i + 1;
        tasks[i] =
            pool.submit(
                () -> {
                  ScsiResult r = f.write(casData(0, value), cdb(7)).result();
                  if (r.status() == ScsiResult.GOOD) {
                    winners.incrementAndGet();
                  }
                });
      }
      for (Future<?> t : tasks) {
        t.get();
      }
      assertThat(winners.get()).isEqualTo(1);
    }
  }
}
