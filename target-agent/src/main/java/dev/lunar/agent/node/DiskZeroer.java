package dev.lunar.agent.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes zeros over a whole block device. An interface so that tests zero through a seam; the
 * host's own ({@link #ON_HOST}) asks the kernel (BLKZEROOUT, through {@code blkdiscard --zeroout},
 * which the device offloads as WRITE ZEROES where it can and the kernel otherwise writes zero pages
 * for) and falls back to writing zeros itself when that fails.
 */
@FunctionalInterface
interface DiskZeroer {

  /**
   * Zeroes {@code device} from its first byte to {@code sizeBytes}, reporting the bytes done so far
   * after each step; returns only when every byte reads as zero and is on the device.
   *
   * @throws InterruptedException when asked to stop; the device is then partly zeroed
   */
  void zero(Path device, long sizeBytes, LongConsumer progress)
      throws IOException, InterruptedException;

  /** The host's: blkdiscard --zeroout, step by step, else plain writes of zeros. */
  DiskZeroer ON_HOST = new HostZeroer();

  /** Zeroing on the host, in steps so that progress shows and a stop takes effect soon. */
  final class HostZeroer implements DiskZeroer {

    private static final Logger log = LoggerFactory.getLogger(HostZeroer.class);

    /** One blkdiscard call: big enough to keep the device busy, small enough to report. */
    static final long STEP = 1L << 30;

    private static final int BUFFER = 1 << 20;

    @Override
    public void zero(Path device, long sizeBytes, LongConsumer progress)
        throws IOException, InterruptedException {
      long done = 0;
      try {
        while (done < sizeBytes) {
          long length = Math.min(STEP, sizeBytes - done);
          blkdiscard(device, done, length);
          done += length;
          progress.accept(done);
        }
        return;
      } catch (IOException e) {
        log.warn(
            "blkdiscard --zeroout on {} failed at byte {} ({}); writing zeros instead",
            device,
            done,
            e.getMessage());
      }
      write(device, done, sizeBytes, progress);
    }

    private static void blkdiscard(Path device, long offset, long length)
        throws IOException, InterruptedException {
      Process process =
          new ProcessBuilder(
                  List.of(
                      "blkdiscard",
                      "--zeroout",
                      "--offset",
                      Long.toString(offset),
                      "--length",
                      Long.toString(length),
                      device.toString()))
              .redirectErrorStream(true)
              .start();
      try {
        String output = new String(process.getInputStream().readAllBytes()).strip();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
          throw new IOException("blkdiscard: " + (output.isEmpty() ? "failed" : output));
        }
      } catch (InterruptedException e) {
        process.destroy();
        throw e;
      }
    }

    /** Zeros written through the page cache from {@code from}, flushed to the device at the end. */
    private static void write(Path device, long from, long sizeBytes, LongConsumer progress)
        throws IOException, InterruptedException {
      ByteBuffer zeros = ByteBuffer.allocateDirect(BUFFER);
      try (FileChannel out = FileChannel.open(device, StandardOpenOption.WRITE)) {
        long position = from;
        long reported = from;
        while (position < sizeBytes) {
          if (Thread.interrupted()) {
            throw new InterruptedException("stopped at byte " + position);
          }
          zeros.clear().limit((int) Math.min(BUFFER, sizeBytes - position));
          position += out.write(zeros, position);
          if (position - reported >= STEP || position == sizeBytes) {
            out.force(false);
            reported = position;
            progress.accept(position);
          }
        }
      }
    }
  }
}
