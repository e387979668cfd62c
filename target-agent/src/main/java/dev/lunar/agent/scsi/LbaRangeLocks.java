package dev.lunar.agent.scsi;

import java.util.ArrayList;
import java.util.List;

/**
 * Exclusive locks on LBA ranges, so that COMPARE AND WRITE is atomic against other writes that
 * overlap it. Non-overlapping writes proceed in parallel. Waiters use the monitor; a virtual thread
 * parks cheaply.
 */
final class LbaRangeLocks {

  private record Range(long lba, long count) {
    boolean overlaps(long otherLba, long otherCount) {
      return lba < otherLba + otherCount && otherLba < lba + count;
    }
  }

  private final List<Range> held = new ArrayList<>();

  /** A held lock; closing it releases the range. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  Held lock(long lba, long count) throws InterruptedException {
    long span = Math.max(count, 1);
    Range range = new Range(lba, span);
    synchronized (this) {
      while (held.stream().anyMatch(r -> r.overlaps(lba, span))) {
        wait();
      }
      held.add(range);
    }
    return () -> {
      synchronized (this) {
        held.remove(range);
        notifyAll();
      }
    };
  }
}
