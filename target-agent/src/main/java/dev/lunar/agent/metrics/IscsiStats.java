package dev.lunar.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * iSCSI-level meters, tagged by target: logins by outcome, R2Ts and Data-Outs, task management
 * functions, digest errors, and the live session and connection gauges. Every meter of a target
 * leaves the registry with the target ({@link #retainTargets}).
 */
public final class IscsiStats {

  /** The {@code target} tag of discovery sessions; IQNs never look like this. */
  public static final String DISCOVERY = "discovery";

  /** The {@code target} tag of a login refused before it named a configured target. */
  public static final String UNKNOWN = "unknown";

  private final MeterRegistry registry; // null when metrics are off: every method does nothing
  private final boolean perInitiator;
  private final Map<String, TargetMeters> targets = new ConcurrentHashMap<>();

  /**
   * @param registry where the meters go; {@code null} records nothing
   * @param perInitiator tag logins with the initiator name too; opt-in, since initiator names are
   *     unbounded
   */
  public IscsiStats(MeterRegistry registry, boolean perInitiator) {
    this.registry = registry;
    this.perInitiator = perInitiator;
  }

  /** Counts one finished login, successful or refused. */
  public void login(String target, String initiator, boolean success, String reason) {
    if (registry == null) {
      return;
    }
    Counter.Builder builder =
        Counter.builder(MetricNames.LOGINS)
            .description("login attempts by outcome")
            .tags(tags(target))
            .tag(MetricNames.RESULT, success ? "success" : "failure")
            .tag(MetricNames.REASON, reason);
    if (perInitiator) {
      builder.tag(MetricNames.INITIATOR, initiator == null ? UNKNOWN : initiator);
    }
    builder.register(registry).increment();
  }

  /** Counts one R2T sent. */
  public void r2t(String target) {
    if (registry == null) {
      return;
    }
    meters(target).r2t.increment();
  }

  /** Counts one Data-Out PDU received. */
  public void dataOut(String target) {
    if (registry == null) {
      return;
    }
    meters(target).dataOut.increment();
  }

  /** Counts one PDU that failed its header or data digest. */
  public void digestError(String target, boolean header) {
    if (registry == null) {
      return;
    }
    TargetMeters meters = meters(target);
    (header ? meters.headerDigest : meters.dataDigest).increment();
  }

  /** Counts one task management request by its function code (RFC 7143 section 11.5.1). */
  public void taskManagement(String target, int function) {
    if (registry == null) {
      return;
    }
    Counter.builder(MetricNames.TASK_MANAGEMENT)
        .description("task management requests by function")
        .tags(tags(target))
        .tag(MetricNames.FUNCTION, functionName(function))
        .register(registry)
        .increment();
  }

  /** Publishes a target's live session and connection counts, read at each scrape. */
  public void trackTarget(String target, IntSupplier sessions, IntSupplier connections) {
    if (registry == null) {
      return;
    }
    if (registry.find(MetricNames.SESSIONS).tags(tags(target)).gauge() != null) {
      return; // tracked since an earlier apply; re-registering would only log a warning
    }
    Gauge.builder(MetricNames.SESSIONS, sessions::getAsInt)
        .description("logged-in sessions")
        .tags(tags(target))
        .strongReference(true)
        .register(registry);
    Gauge.builder(MetricNames.CONNECTIONS, connections::getAsInt)
        .description("connections of logged-in sessions")
        .tags(tags(target))
        .strongReference(true)
        .register(registry);
  }

  /** Removes every meter tagged with a target not in {@code live} (discovery ones stay). */
  public void retainTargets(Set<String> live) {
    if (registry == null) {
      return;
    }
    targets.keySet().removeIf(t -> !live.contains(t));
    for (Meter meter : List.copyOf(registry.getMeters())) {
      String target = meter.getId().getTag(MetricNames.TARGET);
      if (target != null
          && meter.getId().getName().startsWith("lunar.")
          && !live.contains(target)
          && !target.equals(DISCOVERY)
          && !target.equals(UNKNOWN)) {
        registry.remove(meter);
      }
    }
  }

  private TargetMeters meters(String target) {
    return targets.computeIfAbsent(
        target == null ? DISCOVERY : target, t -> new TargetMeters(registry, tags(t)));
  }

  private static Tags tags(String target) {
    return Tags.of(MetricNames.TARGET, target == null ? DISCOVERY : target);
  }

  /** Names of the task management functions (RFC 7143 section 11.5.1). */
  static String functionName(int function) {
    return switch (function) {
      case 1 -> "abort_task";
      case 2 -> "abort_task_set";
      case 3 -> "clear_aca";
      case 4 -> "clear_task_set";
      case 5 -> "logical_unit_reset";
      case 6 -> "target_warm_reset";
      case 7 -> "target_cold_reset";
      case 8 -> "task_reassign";
      default -> "other";
    };
  }

  /** The counters bumped per PDU, looked up once per target rather than per event. */
  private static final class TargetMeters {
    final Counter r2t;
    final Counter dataOut;
    final Counter headerDigest;
    final Counter dataDigest;

    TargetMeters(MeterRegistry registry, Tags tags) {
      r2t = Counter.builder(MetricNames.R2T).description("R2Ts sent").tags(tags).register(registry);
      dataOut =
          Counter.builder(MetricNames.DATA_OUT)
              .description("Data-Out PDUs received")
              .tags(tags)
              .register(registry);
      headerDigest = digest(registry, tags, "header");
      dataDigest = digest(registry, tags, "data");
    }

    private static Counter digest(MeterRegistry registry, Tags tags, String kind) {
      return Counter.builder(MetricNames.DIGEST_ERRORS)
          .description("PDUs that failed a CRC32C digest")
          .tags(tags)
          .tag(MetricNames.KIND, kind)
          .register(registry);
    }
  }
}
