package dev.lunar.operator.reconcile;

import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.operator.plan.NodeDesired;
import dev.lunar.operator.plan.NodePlanner;
import dev.lunar.operator.view.ClusterView;
import dev.lunar.operator.view.SecretData;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each IscsiNode's spec, the node's complete desired target set, and the node's credential
 * Secret. The agent on the node owns the status; this reconciler never touches it. Writes happen
 * only when the wanted content differs from what is there.
 */
@ControllerConfiguration(name = "iscsinode")
public final class NodeReconciler implements Reconciler<IscsiNode> {

  private static final Logger log = LoggerFactory.getLogger(NodeReconciler.class);

  private final ClusterView view;
  private final KubernetesClient client;
  private final SimpleInboundEventSource<IscsiNode> wakeUps =
      new SimpleInboundEventSource<>("node-wakeups");

  public NodeReconciler(ClusterView view, KubernetesClient client) {
    this.view = view;
    this.client = client;
  }

  SimpleInboundEventSource<IscsiNode> wakeUps() {
    return wakeUps;
  }

  @Override
  public List<EventSource<?, IscsiNode>> prepareEventSources(EventSourceContext<IscsiNode> ctx) {
    return List.of(wakeUps);
  }

  @Override
  public UpdateControl<IscsiNode> reconcile(IscsiNode node, Context<IscsiNode> context) {
    String name = node.getMetadata().getName();
    NodeDesired desired = view.plan().nodes().get(name);
    if (desired == null) {
      return UpdateControl.noUpdate();
    }
    writeCredentials(node, desired.credentials());
    // Stable tids against this node as JOSDK last saw it, which includes our own latest write.
    IscsiNodeSpec spec = NodePlanner.keepTids(desired.spec(), node);
    if (sameSpec(spec, node.getSpec())) {
      return UpdateControl.noUpdate();
    }
    log.info(
        "node {}: writing spec with {} targets",
        name,
        spec.targets() == null ? 0 : spec.targets().size());
    node.setSpec(spec);
    return UpdateControl.patchResource(node);
  }

  /**
   * Whether two specs say the same. An empty list of targets or pools comes back from the API
   * server as no list at all, so the two count as equal; otherwise every wake-up of an empty node
   * would write its spec again.
   */
  static boolean sameSpec(IscsiNodeSpec wanted, IscsiNodeSpec current) {
    return Objects.equals(normalized(wanted), normalized(current));
  }

  private static IscsiNodeSpec normalized(IscsiNodeSpec spec) {
    if (spec == null) {
      return new IscsiNodeSpec(null, List.of(), List.of());
    }
    return new IscsiNodeSpec(
        spec.credentialsSecret(),
        Objects.requireNonNullElse(spec.targets(), List.of()),
        Objects.requireNonNullElse(spec.pools(), List.of()));
  }

  private void writeCredentials(IscsiNode node, Map<String, String> credentials) {
    String namespace = view.systemNamespace();
    String name = NodePlanner.credentialsSecretName(node.getMetadata().getName());
    Secret current = view.secret(namespace, name);
    if (current != null && SecretData.decode(current).equals(credentials)) {
      return;
    }
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels("app.kubernetes.io/managed-by", "lunar")
            .addToLabels("iscsi.lunar.dev/node", node.getMetadata().getName())
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(node.getApiVersion())
                    .withKind(node.getKind())
                    .withName(node.getMetadata().getName())
                    .withUid(node.getMetadata().getUid())
                    .build())
            .endMetadata()
            .withType("Opaque")
            .withData(SecretData.encode(credentials))
            .build();
    // Logs name the Secret, never its values.
    log.info(
        "node {}: writing credential Secret {}/{} ({} keys)",
        node.getMetadata().getName(),
        namespace,
        name,
        credentials.size());
    client.secrets().inNamespace(namespace).resource(secret).forceConflicts().serverSideApply();
  }
}
