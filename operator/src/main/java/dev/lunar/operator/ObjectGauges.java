package dev.lunar.operator;

import dev.lunar.operator.view.ClusterView;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code lunar_operator_objects{kind, ready, reason}}: how many IscsiTargets and IscsiLuns stand in
 * each Ready state, counted from the cluster view when Prometheus scrapes.
 */
final class ObjectGauges {

  static final String NAME = "lunar_operator_objects";

  private final ClusterView view;
  private final MultiGauge gauge;

  ObjectGauges(ClusterView view, MeterRegistry registry) {
    this.view = view;
    this.gauge =
        MultiGauge.builder(NAME)
            .description("IscsiTargets and IscsiLuns by their Ready condition")
            .register(registry);
  }

  void refresh() {
    Map<Tags, Integer> counts = new LinkedHashMap<>();
    count(
        counts,
        "IscsiTarget",
        view.targets(),
        t -> t.getStatus() == null ? null : t.getStatus().conditions());
    count(
        counts,
        "IscsiLun",
        view.luns(),
        l -> l.getStatus() == null ? null : l.getStatus().conditions());
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    counts.forEach((tags, n) -> rows.add(MultiGauge.Row.of(tags, n)));
    gauge.register(rows, true);
  }

  private static <T extends HasMetadata> void count(
      Map<Tags, Integer> counts,
      String kind,
      List<T> objects,
      Function<T, List<Condition>> conditions) {
    for (T o : objects) {
      Condition ready = null;
      List<Condition> list = conditions.apply(o);
      if (list != null) {
        ready = list.stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
      }
      Tags tags =
          Tags.of(
              "kind", kind,
              "ready", ready == null ? "Unknown" : ready.getStatus(),
              "reason", ready == null || ready.getReason() == null ? "" : ready.getReason());
      counts.merge(tags, 1, Integer::sum);
    }
  }
}
