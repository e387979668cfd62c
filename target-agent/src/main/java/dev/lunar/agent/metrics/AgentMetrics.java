package dev.lunar.agent.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Collection;
import java.util.Map;

/**
 * The agent's meters, all on one injected registry: the iSCSI layer's ({@link #iscsi}) and the
 * per-LUN I/O ones ({@link #scsi}). {@link #disabled} gives the same API with meters that record
 * nothing, for embedders and tests that do not publish metrics.
 */
public final class AgentMetrics implements AutoCloseable {

  private final MeterRegistry registry;
  private final IscsiStats iscsi;
  private final ScsiStats scsi;
  private JvmGcMetrics gc;

  public AgentMetrics(MeterRegistry registry, boolean perInitiator) {
    this.registry = registry;
    this.iscsi = new IscsiStats(registry, perInitiator);
    this.scsi = new ScsiStats(registry);
  }

  /** Meters that go nowhere: a composite registry with no children records nothing. */
  public static AgentMetrics disabled() {
    return new AgentMetrics(new CompositeMeterRegistry(), false);
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

  public MeterRegistry registry() {
    return registry;
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
