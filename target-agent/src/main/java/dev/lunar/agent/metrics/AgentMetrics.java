package dev.lunar.agent.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The agent's meters, all on one injected registry: the iSCSI layer's ({@link #iscsi}) and the
 * per-LUN I/O ones ({@link #scsi}). {@link #disabled} gives the same API recording nothing, for a
 * daemon without a metrics endpoint, embedders and tests.
 */
public final class AgentMetrics implements AutoCloseable {

  private final MeterRegistry registry; // null when metrics are off
  private final Supplier<String> exposition;
  private final IscsiStats iscsi;
  private final ScsiStats scsi;
  private JvmGcMetrics gc;

  /** Meters on {@code registry}, which nothing here publishes. */
  public AgentMetrics(MeterRegistry registry, boolean perInitiator) {
    this(registry, perInitiator, () -> "");
  }

  /**
   * @param exposition the registry's meters in the text {@link MetricsServer} serves
   */
  AgentMetrics(MeterRegistry registry, boolean perInitiator, Supplier<String> exposition) {
    this.registry = registry;
    this.exposition = exposition;
    this.iscsi = new IscsiStats(registry, perInitiator);
    this.scsi = new ScsiStats(registry);
  }

  /**
   * Records nothing and never touches the metrics library: a daemon without a metrics endpoint
   * neither loads Micrometer's classes nor spends a call per command on meters nobody reads (an
   * empty composite registry did both; its classes sat in the AOT cache of every standalone daemon,
   * docs/benchmarks.md).
   */
  public static AgentMetrics disabled() {
    return new AgentMetrics(null, false);
  }

  /** Adds the JVM and process meters (memory, GC, threads, classes, CPU, uptime, descriptors). */
  public AgentMetrics withJvmMetrics() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return this;
  }

  /** What {@code /metrics} answers. */
  String scrape() {
    return exposition.get();
  }

  public IscsiStats iscsi() {
    return iscsi;
  }

  public ScsiStats scsi() {
    return scsi;
  }

  /**
   * Drops the meters of targets and LUNs that are no longer configured.
   *
   * @param live the configured LUN numbers by target name
   */
  public void retain(Map<String, ? extends Collection<Integer>> live) {
    scsi.retain(live);
    iscsi.retainTargets(live.keySet());
  }

  @Override
  public void close() {
    if (gc != null) {
      gc.close();
    }
  }
}
