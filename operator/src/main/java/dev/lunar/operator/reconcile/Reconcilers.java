package dev.lunar.operator.reconcile;

import dev.lunar.operator.view.ClusterView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The four controllers, registered with one JOSDK operator and fed by one cluster view. */
public final class Reconcilers {

  private static final Logger log = LoggerFactory.getLogger(Reconcilers.class);

  private final ClusterView view;
  private final Clock clock;
  private final NodeReconciler nodes;
  private final TargetReconciler targets;
  private final LunReconciler luns;
  private final PoolReconciler pools;

  private Reconcilers(
      ClusterView view,
      Clock clock,
      NodeReconciler nodes,
      TargetReconciler targets,
      LunReconciler luns,
      PoolReconciler pools) {
    this.view = view;
    this.clock = clock;
    this.nodes = nodes;
    this.targets = targets;
    this.luns = luns;
    this.pools = pools;
  }

  /**
   * @param clock the time conditions, events and heartbeat checks go by
   */
  public static Reconcilers register(
      Operator operator, ClusterView view, KubernetesClient client, Clock clock) {
    EventRecorder events = new EventRecorder(client, clock);
    Reconcilers r =
        new Reconcilers(
            view,
            clock,
            new NodeReconciler(view, client),
            new TargetReconciler(view, events, clock),
            new LunReconciler(view, client, events, clock),
            new PoolReconciler(view, events, clock));
    operator.register(r.nodes);
    operator.register(r.targets);
    operator.register(r.luns);
    operator.register(r.pools);
    return r;
  }

  /** From now on, every change in the view wakes the reconciles it affects. */
  public void routeChanges() {
    view.onChange(
        new ChangeRouter(
            view,
            clock,
            sink(nodes.wakeUps()),
            sink(targets.wakeUps()),
            sink(luns.wakeUps()),
            sink(pools.wakeUps())));
  }

  private static <P extends HasMetadata> Consumer<ResourceID> sink(
      SimpleInboundEventSource<P> source) {
    return id -> {
      try {
        source.propagateEvent(id);
      } catch (RuntimeException e) {
        // Not leading (yet): the controller reconciles everything when it starts.
        log.debug("wake-up for {} not delivered: {}", id, e.toString());
      }
    };
  }
}
