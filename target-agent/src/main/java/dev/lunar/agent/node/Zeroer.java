package dev.lunar.agent.node;

import dev.lunar.agent.storage.LinuxFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * Writes zeros over a device that once held someone else's data: a disk of a disk pool, or a linear
 * logical volume of a volume group pool. An interface so that tests zero through a seam; the host's
 * own ({@link #ON_HOST}) is {@link LinuxFiles#zeroOut}, the kernel's zero-out (BLKZEROOUT: an
 * offloaded WRITE ZEROES where the device has one) or zeros written from here, in steps.
 */
@FunctionalInterface
interface Zeroer {

  /**
   * Zeroes {@code device} from its first byte to {@code sizeBytes}, reporting the bytes done so far
   * after each step; returns only when every byte reads as zero and is on the device.
   *
   * @throws InterruptedException when asked to stop; the device is then partly zeroed
   */
  void zero(Path device, long sizeBytes, LongConsumer progress)
      throws IOException, InterruptedException;

  /** The host's: the kernel's zero-out, step by step. */
  Zeroer ON_HOST = new HostZeroer(HostZeroer.STEP);

  /** Zeroing on the host, in steps so that progress shows and a stop takes effect soon. */
  final class HostZeroer implements Zeroer {

    /** One step: big enough to keep the device busy, small enough to report and to stop. */
    static final long STEP = 1L << 30;

    private final long step;

    HostZeroer(long step) {
      this.step = step;
    }

    @Override
    public void zero(Path device, long sizeBytes, LongConsumer progress)
        throws IOException, InterruptedException {
      long done = 0;
      while (done < sizeBytes) {
        if (Thread.interrupted()) {
          throw new InterruptedException("stopped at byte " + done);
        }
        long length = Math.min(step, sizeBytes - done);
        LinuxFiles.zeroOut(device, done, length);
        done += length;
        progress.accept(done);
      }
    }
  }
}
