package dev.lunar.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zeroing what a logical volume's previous owner left: every byte asked, nothing beyond. */
class LinuxFilesZeroOutTest {

  @TempDir Path tmp;

  @Test
  void everyByteUpToTheLengthReadsZeroAndTheRestIsKept() throws Exception {
    byte[] old = new byte[3 << 20];
    new Random(7).nextBytes(old);
    Path file = Files.write(tmp.resolve("previous-owner"), old);

    LinuxFiles.zeroOut(file, 2 << 20);

    byte[] now = Files.readAllBytes(file);
    assertThat(now).hasSize(old.length);
    for (int i = 0; i < 2 << 20; i++) {
      if (now[i] != 0) {
        throw new AssertionError("byte " + i + " not zeroed");
      }
    }
    assertThat(java.util.Arrays.copyOfRange(now, 2 << 20, now.length))
        .isEqualTo(java.util.Arrays.copyOfRange(old, 2 << 20, old.length));
  }
}
