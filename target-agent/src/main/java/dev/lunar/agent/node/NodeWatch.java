package dev.lunar.agent.node;

import dev.lunar.crds.api.v1alpha1.IscsiNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The informer on the agent's own IscsiNode. Started only once its first list succeeded, so a
 * failed start leaves nothing running behind and the caller can simply try again later; after that,
 * the client re-lists and re-watches by itself across API server restarts.
 */
final class NodeWatch {

  /** How long the first list may take before the start counts as failed. */
  static final long START_SECONDS = 30;

  private NodeWatch() {}

  /**
   * @param onSpec called for the node as first listed and for every change
   * @param onDelete called when the node is deleted
   */
  static SharedIndexInformer<IscsiNode> start(
      KubernetesClient client, String node, Consumer<IscsiNode> onSpec, Runnable onDelete) {
    SharedIndexInformer<IscsiNode> informer =
        client.resources(IscsiNode.class).withName(node).runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(IscsiNode added) {
            onSpec.accept(added);
          }

          @Override
          public void onUpdate(IscsiNode old, IscsiNode changed) {
            onSpec.accept(changed);
          }

          @Override
          public void onDelete(IscsiNode deleted, boolean unknownFinalState) {
            onDelete.run();
          }
        });
    try {
      informer.start().toCompletableFuture().get(START_SECONDS, TimeUnit.SECONDS);
      return informer;
    } catch (ExecutionException e) {
      informer.close();
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } catch (TimeoutException e) {
      informer.close();
      throw new IllegalStateException("no first list of IscsiNode " + node + " within 30 s");
    } catch (InterruptedException e) {
      informer.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing IscsiNode " + node, e);
    }
  }
}
