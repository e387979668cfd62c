package dev.lunar.agent.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A qemu-io script of single-block writes that lets a test know exactly which writes the target
 * acknowledged as durable. Write {@code i} fills block {@code i} with {@link #pattern(int)}; every
 * {@code fuaEvery}-th write carries FUA, and a flush (SYNCHRONIZE CACHE) follows every {@code
 * flushEvery}-th write and ends the script. qemu-io runs its {@code -c} commands one after another
 * and prints {@code wrote 4096/4096 bytes at offset N} as each write completes, so a flush has
 * completed once any later write is reported.
 */
final class WritePlan {

  static final int BLOCK = 4096;

  private static final Pattern WROTE = Pattern.compile("^wrote \\d+/\\d+ bytes at offset (\\d+)");

  private final int writes;
  private final int fuaEvery;
  private final int flushEvery;
  private final AtomicInteger highestCompleted = new AtomicInteger(-1);

  WritePlan(int writes, int fuaEvery, int flushEvery) {
    this.writes = writes;
    this.fuaEvery = fuaEvery;
    this.flushEvery = flushEvery;
  }

  int writes() {
    return writes;
  }

  /** Never zero (a sparse file reads as zeros), and neighbouring blocks always differ. */
  static int pattern(int write) {
    return 1 + (write * 37) % 251;
  }

  boolean fua(int write) {
    return write % fuaEvery == fuaEvery - 1;
  }

  /** How many flushes the script holds. */
  long flushes() {
    return java.util.stream.IntStream.range(0, writes).filter(this::flushAfter).count();
  }

  private boolean flushAfter(int write) {
    return write % flushEvery == flushEvery - 1 || write == writes - 1;
  }

  /**
   * qemu-io's arguments for {@code url}: write-back caching, so that only FUA writes and explicit
   * flushes are durable, and the writes as {@code -c} commands.
   */
  List<String> qemuIo(String url) {
    List<String> command = new ArrayList<>(List.of("qemu-io", "-t", "writeback", "-f", "raw", url));
    for (int i = 0; i < writes; i++) {
      String flags = fua(i) ? "-f " : "";
      command.add("-c");
      command.add("write " + flags + "-P " + pattern(i) + " " + (long) i * BLOCK + " " + BLOCK);
      if (flushAfter(i)) {
        command.add("-c");
        command.add("flush");
      }
    }
    return command;
  }

  /** Feeds one line of qemu-io's output; returns the number of writes now known complete. */
  int observe(String line) {
    Matcher m = WROTE.matcher(line);
    if (m.find()) {
      int write = (int) (Long.parseLong(m.group(1)) / BLOCK);
      highestCompleted.accumulateAndGet(write, Math::max);
    }
    return highestCompleted.get() + 1;
  }

  /** Writes reported complete so far (qemu-io runs them in order, so a prefix of the plan). */
  int completed() {
    return highestCompleted.get() + 1;
  }

  /**
   * The writes acknowledged durable when the first {@code completed} writes had been reported: FUA
   * writes, and every write before a flush that a later completed write shows has completed. With
   * {@code scriptFinished} the final flush completed too, so every write is durable.
   */
  List<Integer> durable(int completed, boolean scriptFinished) {
    if (scriptFinished) {
      return java.util.stream.IntStream.range(0, writes).boxed().toList();
    }
    int lastFlushed = -1;
    for (int i = 0; i < completed - 1; i++) {
      if (flushAfter(i)) {
        lastFlushed = i;
      }
    }
    List<Integer> durable = new ArrayList<>();
    for (int i = 0; i < completed; i++) {
      if (i <= lastFlushed || fua(i)) {
        durable.add(i);
      }
    }
    return durable;
  }

  /** The writes among {@code check} whose block in {@code image} does not hold their pattern. */
  static List<Integer> mismatches(Path image, List<Integer> check) {
    List<Integer> wrong = new ArrayList<>();
    ByteBuffer block = ByteBuffer.allocate(BLOCK);
    try (FileChannel in = FileChannel.open(image)) {
      for (int write : check) {
        block.clear();
        while (block.hasRemaining()
            && in.read(block, (long) write * BLOCK + block.position()) > 0) {
          // read the whole block
        }
        if (block.hasRemaining() || !filledWith(block.flip(), (byte) pattern(write))) {
          wrong.add(write);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return wrong;
  }

  private static boolean filledWith(ByteBuffer block, byte value) {
    while (block.hasRemaining()) {
      if (block.get() != value) {
        return false;
      }
    }
    return true;
  }
}
