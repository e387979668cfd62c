package dev.lunar.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.engine.Engine;
import dev.lunar.agent.iscsi.session.SessionRegistry;
import dev.lunar.agent.metrics.AgentMetrics;
import dev.lunar.agent.metrics.MetricNames;
import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.agent.scsi.LogicalUnits;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Applying a configuration keeps the registry to the targets and LUNs it names. */
class MeteredEngineTest {

  private static final String DISKS = "iqn.2026-11.dev.lunar.test:disks";
  private static final String OTHER = "iqn.2026-11.dev.lunar.test:other";

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AgentMetrics metrics = new AgentMetrics(registry, false);
  private final SessionRegistry sessions = new SessionRegistry();
  private final Engine engine = new Engine(sessions, LogicalUnits::open);
  private final MeteredEngine metered = new MeteredEngine(engine, sessions, metrics);

  @AfterEach
  void close() {
    engine.close();
  }

  private static LunSpec memoryLun(int lun) {
    return new LunSpec(lun, null, "mem", 1L << 20, 512, false, false, null, null, true, false, 0);
  }

  private static TargetSpec target(int tid, String iqn, int... luns) {
    List<LunSpec> specs = java.util.Arrays.stream(luns).mapToObj(l -> memoryLun(l)).toList();
    return new TargetSpec(tid, iqn, specs, List.of("ALL"), List.of(), List.of(), null, Map.of());
  }

  private List<String> lunsWithMeters() {
    return registry.find(MetricNames.READ_OPERATIONS).counters().stream()
        .map(Meter::getId)
        .map(id -> id.getTag("target") + "/" + id.getTag("lun"))
        .sorted()
        .toList();
  }

  @Test
  void everyLiveTargetGetsSessionAndConnectionGaugesAtZero() {
    metered.apply(new TargetSetSpec(List.of(target(1, DISKS, 1), target(2, OTHER)), List.of()));
    assertThat(registry.get(MetricNames.SESSIONS).tag("target", DISKS).gauge().value()).isZero();
    assertThat(registry.get(MetricNames.CONNECTIONS).tag("target", OTHER).gauge().value()).isZero();
  }

  @Test
  void everyConfiguredLunHasMetersAndRemovedOnesLeaveTheRegistry() {
    metered.apply(
        new TargetSetSpec(List.of(target(1, DISKS, 1, 2), target(2, OTHER, 1)), List.of()));
    assertThat(lunsWithMeters())
        .containsExactly(DISKS + "/0", DISKS + "/1", DISKS + "/2", OTHER + "/0", OTHER + "/1");
    metrics.iscsi().r2t(OTHER);

    metered.apply(new TargetSetSpec(List.of(target(1, DISKS, 1)), List.of()));

    assertThat(lunsWithMeters()).containsExactly(DISKS + "/0", DISKS + "/1");
    assertThat(registry.getMeters()).noneMatch(m -> OTHER.equals(m.getId().getTag("target")));
    assertThat(registry.find(MetricNames.SESSIONS).gauges()).hasSize(1);
  }
}
