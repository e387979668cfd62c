package dev.lunar.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs only where a loop device can be attached (root with losetup); skipped elsewhere. */
class BlockDeviceStoreTest {

  @TempDir Path dir;

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    boolean done = p.waitFor(20, TimeUnit.SECONDS);
    return done && p.exitValue() == 0 ? out : null;
  }

  @Test
  void loopDeviceSizeComesFromTheDeviceAndDataRoundTrips() throws Exception {
    Path image = dir.resolve("loop.img");
    try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
      raf.setLength(8 << 20);
    }
    String device = run("losetup", "-f", "--show", image.toString());
    assumeTrue(device != null && device.startsWith("/dev/"), "losetup is not usable here");
    try (FileBackingStore store = FileBackingStore.open(Path.of(device), false)) {
      assertThat(store.blockDevice()).isTrue();
      assertThat(store.size()).isEqualTo(8 << 20);
      assertThat(store.canPunchHoles()).isFalse();
      byte[] data = new byte[4096];
      Arrays.fill(data, (byte) 0x42);
      store.write(4096, Unpooled.wrappedBuffer(data));
      store.flush();
      ByteBuf back = Unpooled.buffer(4096);
      store.read(4096, back, 4096);
      assertThat(ByteBufUtil.getBytes(back)).isEqualTo(data);
      store.punchHole(4096, 4096);
      ByteBuf zeros = Unpooled.buffer(4096);
      store.read(4096, zeros, 4096);
      assertThat(ByteBufUtil.getBytes(zeros)).containsOnly(0);
    } finally {
      run("losetup", "-d", device);
    }
  }
}
