package dev.lunar.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zeroing what a logical volume's previous owner left: every byte asked, nothing beyond. */
class LinuxFilesZeroOutTest {

  @TempDir Path tmp;

  @Test
  void everyByteOfTheRangeReadsZeroAndTheRestIsKept() throws Exception {
    byte[] old = new byte[3 << 20];
    new Random(7).nextBytes(old);
    Path file = Files.write(tmp.resolve("previous-owner"), old);
    int from = 1 << 20;
    int to = 2 << 20;

    LinuxFiles.zeroOut(file, from, to - from);

    byte[] now = Files.readAllBytes(file);
    assertThat(now).hasSize(old.length);
    for (int i = from; i < to; i++) {
      if (now[i] != 0) {
        throw new AssertionError("byte " + i + " not zeroed");
      }
    }
    assertThat(Arrays.copyOfRange(now, 0, from)).isEqualTo(Arrays.copyOfRange(old, 0, from));
    assertThat(Arrays.copyOfRange(now, to, now.length))
        .isEqualTo(Arrays.copyOfRange(old, to, old.length));
  }
}
