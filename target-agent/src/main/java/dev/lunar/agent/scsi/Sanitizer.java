package dev.lunar.agent.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the sanitize operations of one disk (SBC-4 4.11) and keeps their state: while one runs, the
 * unit answers most commands with NOT READY / SANITIZE IN PROGRESS; after one fails it answers
 * MEDIUM ERROR / SANITIZE COMMAND FAILED until a sanitize succeeds or EXIT FAILURE MODE. An
 * operation, once started, runs to its end whatever resets or connection losses happen.
 *
 * <p>Overwrite passes are paced at {@link #OVERWRITE_BYTES_PER_SECOND} so that erasing one LUN does
 * not starve the I/O of the other LUNs on the same host.
 */
final class Sanitizer {

  private static final Logger log = LoggerFactory.getLogger(Sanitizer.class);

  static final long OVERWRITE_BYTES_PER_SECOND = 128L << 20;
  private static final int CHUNK_BYTES = 1 << 20;

  /** One sanitize operation, run against the disk. */
  @FunctionalInterface
  interface Operation {
    void run(Disk disk) throws IOException;
  }

  private final Disk disk;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean failed;

  /** The command waiting on the running operation, released with {@code null} when aborted. */
  private record Waiter(Nexus nexus, long taskTag, CompletableFuture<Boolean> done) {}

  private volatile Waiter waiting;

  Sanitizer(Disk disk) {
    this.disk = disk;
  }

  boolean inProgress() {
    return running.get();
  }

  boolean failed() {
    return failed;
  }

  void exitFailureMode() {
    failed = false;
  }

  /**
   * Starts {@code operation} on a thread of its own. Unless {@code immediate}, waits for it to end;
   * an abort of the waiting command ({@link #abortWaiting}) stops the wait but not the operation,
   * which SBC-4 says continues whatever happens to the command that started it.
   *
   * @throws CheckCondition SANITIZE IN PROGRESS when another sanitize runs, or SANITIZE COMMAND
   *     FAILED when the operation failed (waited-for runs only)
   */
  void start(Operation operation, boolean immediate, Nexus nexus, long taskTag)
      throws CheckCondition {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    synchronized (this) {
      if (running.get()) {
        throw CheckCondition.of(SenseCode.SANITIZE_IN_PROGRESS);
      }
      // The waiter first, then running: whoever sees a sanitize in progress can also abort its
      // waiting command.
      waiting = new Waiter(nexus, taskTag, done);
      running.set(true);
    }
    Thread.ofVirtual().name("sanitize").start(() -> done.complete(runQuietly(operation)));
    if (immediate) {
      return;
    }
    try {
      Boolean good = done.get();
      if (good == null) {
        throw CheckCondition.of(SenseCode.COMMAND_ABORTED);
      }
      if (!good) {
        throw CheckCondition.of(SenseCode.SANITIZE_COMMAND_FAILED);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CheckCondition.of(SenseCode.COMMAND_ABORTED);
    } catch (ExecutionException e) {
      throw CheckCondition.of(SenseCode.SANITIZE_COMMAND_FAILED);
    }
  }

  /** Releases the command waiting on the running operation if it is that task; it goes on. */
  void abortWaiting(Nexus nexus, long taskTag) {
    Waiter waiter = waiting;
    if (waiter != null && waiter.nexus().equals(nexus) && waiter.taskTag() == taskTag) {
      waiter.done().complete(null);
    }
  }

  private boolean runQuietly(Operation operation) {
    try {
      operation.run(disk);
      disk.store().flush();
      failed = false;
      return true;
    } catch (IOException | RuntimeException e) {
      log.warn("sanitize failed: {}", e.toString());
      failed = true;
      return false;
    } finally {
      running.set(false);
    }
  }

  /** Deallocates every block: BLOCK ERASE and CRYPTO ERASE on a thin unit. */
  static void deallocateAll(Disk disk) throws IOException {
    disk.store().punchHole(0, disk.blocks() * disk.blockSize());
  }

  /**
   * Overwrites every block {@code passes} times with {@code pattern} repeated from the start of
   * each block, inverting it between passes when {@code invert}.
   */
  static Operation overwrite(byte[] pattern, int passes, boolean invert) {
    return disk -> {
      for (int pass = 0; pass < passes; pass++) {
        overwritePass(disk, pattern, invert && pass % 2 == 1);
      }
    };
  }

  private static void overwritePass(Disk disk, byte[] pattern, boolean inverted)
      throws IOException {
    int blockSize = disk.blockSize();
    int chunk = Math.max(blockSize, CHUNK_BYTES / blockSize * blockSize);
    ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer(chunk);
    try {
      for (int i = 0; i < chunk; i++) {
        byte b = pattern[i % blockSize % pattern.length];
        buffer.writeByte(inverted ? ~b : b);
      }
      long total = disk.blocks() * blockSize;
      long started = System.nanoTime();
      for (long done = 0; done < total; ) {
        int n = (int) Math.min(chunk, total - done);
        disk.store().write(done, buffer.slice(0, n));
        done += n;
        pace(started, done);
      }
    } finally {
      buffer.release();
    }
  }

  private static void pace(long startedNanos, long bytesDone) {
    long due = startedNanos + bytesDone * TimeUnit.SECONDS.toNanos(1) / OVERWRITE_BYTES_PER_SECOND;
    long wait = due - System.nanoTime();
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("sanitize interrupted", e);
      }
    }
  }
}
