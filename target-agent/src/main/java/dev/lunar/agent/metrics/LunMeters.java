package dev.lunar.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The I/O meters of one LUN of one target: operations and bytes by direction, latency by operation,
 * and backing-store errors. Created once per LUN and removed from the registry with it.
 */
public final class LunMeters {

  /**
   * Latency buckets from 100 µs to 10 s: fine steps where SSDs and page-cache hits live, coarse
   * ones where only SLO breaches matter.
   */
  static final Duration[] LATENCY_BUCKETS = {
    Duration.ofNanos(100_000),
    Duration.ofNanos(250_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };

  private final Counter readOperations;
  private final Counter writeOperations;
  private final Counter readBytes;
  private final Counter writeBytes;
  private final Counter storageErrors;
  private final Timer[] latency = new Timer[ScsiOperation.values().length];

  LunMeters(MeterRegistry registry, String target, int lun) {
    Tags tags = Tags.of(MetricNames.TARGET, target, MetricNames.LUN, Integer.toString(lun));
    readOperations = counter(registry, MetricNames.READ_OPERATIONS, tags, "read commands");
    writeOperations = counter(registry, MetricNames.WRITE_OPERATIONS, tags, "write commands");
    readBytes = counter(registry, MetricNames.READ_BYTES, tags, "bytes read by initiators");
    writeBytes = counter(registry, MetricNames.WRITE_BYTES, tags, "bytes written by initiators");
    storageErrors =
        counter(registry, MetricNames.STORAGE_ERRORS, tags, "backing-store read or write failures");
    for (ScsiOperation op : ScsiOperation.values()) {
      latency[op.ordinal()] =
          Timer.builder(MetricNames.IO_LATENCY)
              .description("SCSI command service time, from execution start to result")
              .tags(tags)
              .tag(MetricNames.OP, op.tag())
              .serviceLevelObjectives(LATENCY_BUCKETS)
              .register(registry);
    }
  }

  private static Counter counter(MeterRegistry registry, String name, Tags tags, String help) {
    return Counter.builder(name).description(help).tags(tags).register(registry);
  }

  /**
   * Records one completed command.
   *
   * @param bytes user data moved to or from the medium (0 when the command failed)
   * @param nanos how long the logical unit took
   */
  public void completed(ScsiOperation op, long bytes, long nanos, boolean storageError) {
    latency[op.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    switch (op) {
      case READ -> {
        readOperations.increment();
        readBytes.increment(bytes);
      }
      case WRITE -> {
        writeOperations.increment();
        writeBytes.increment(bytes);
      }
      case OTHER -> {}
    }
    if (storageError) {
      storageErrors.increment();
    }
  }

  List<Meter> meters() {
    List<Meter> all = new java.util.ArrayList<>(List.of(latency));
    all.addAll(List.of(readOperations, writeOperations, readBytes, writeBytes, storageErrors));
    return all;
  }
}
