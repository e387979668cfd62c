package dev.lunar.operator.reconcile;

import dev.lunar.operator.view.ClusterView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The three controllers, registered with one JOSDK operator and fed by one cluster view. */
public final class Reconcilers {

  private static final Logger log = LoggerFactory.getLogger(Reconcilers.class);

  private final ClusterView view;
  private final NodeReconciler nodes;
  private final TargetReconciler targets;
  private final LunReconciler luns;

  private Reconcilers(
      ClusterView view, NodeReconciler nodes, TargetReconciler targets, LunReconciler luns) {
    this.view = view;
    this.nodes = nodes;
    this.targets = targets;
    this.luns = luns;
  }

  public static Reconcilers register(Operator operator, ClusterView view, KubernetesClient client) {
    EventRecorder events = new EventRecorder(client);
    Reconcilers r =
        new Reconcilers(
            view,
            new NodeReconciler(view, client),
            new TargetReconciler(view, events),
            new LunReconciler(view, client, events));
    operator.register(r.nodes);
    operator.register(r.targets);
    operator.register(r.luns);
    return r;
  }

  /** From now on, every change in the view wakes the reconciles it affects. */
  public void routeChanges() {
    view.onChange(
        new ChangeRouter(
            view, sink(nodes.wakeUps()), sink(targets.wakeUps()), sink(luns.wakeUps())));
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
