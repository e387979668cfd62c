package dev.lunar.agent.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-LUN I/O meters of every target. Meters appear with a LUN's first command and disappear when
 * the LUN leaves the configuration ({@link #retain}), so a churning configuration does not grow the
 * registry without bound.
 */
public final class ScsiStats {

  private final MeterRegistry registry; // null when metrics are off
  private final Map<LunKey, LunMeters> luns = new ConcurrentHashMap<>();

  /**
   * @param registry where the meters go; {@code null} records nothing
   */
  public ScsiStats(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Whether commands are metered at all ({@link IoMeter#start} checks it first). */
  boolean recording() {
    return registry != null;
  }

  /** Creates a LUN's meters ahead of its first command, so its series exist from the start. */
  public void track(String target, int lun) {
    if (recording()) {
      lun(target, lun);
    }
  }

  /** The meters of one LUN, created on first use; only while {@link #recording}. */
  LunMeters lun(String target, int lun) {
    return luns.computeIfAbsent(new LunKey(target, lun), k -> new LunMeters(registry, target, lun));
  }

  /**
   * Removes the meters of every LUN not in {@code live}, which maps a target name to its LUN
   * numbers. Called after each configuration change.
   */
  public void retain(Map<String, ? extends Collection<Integer>> live) {
    for (LunKey key : Set.copyOf(luns.keySet())) {
      Collection<Integer> numbers = live.get(key.target());
      if (numbers == null || !numbers.contains(key.lun())) {
        LunMeters gone = luns.remove(key);
        if (gone != null) {
          for (Meter meter : gone.meters()) {
            registry.remove(meter);
          }
        }
      }
    }
  }

  private record LunKey(String target, int lun) {}
}
