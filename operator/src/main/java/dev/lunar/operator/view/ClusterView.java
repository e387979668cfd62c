package dev.lunar.operator.view;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.operator.plan.NodePlanner;
import dev.lunar.operator.plan.ObjectKeys;
import dev.lunar.operator.plan.Plan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The operator's picture of the cluster: informers on every IscsiTarget, IscsiLun, IscsiNode,
 * IscsiPool and Secret, and on the agents' heartbeat Leases. The desired state of every node is a
 * function of all of them together, so the reconcilers read this one view, and every change in it
 * tells {@link Triggers} which objects to reconcile again (after the view already holds the change,
 * so a reconcile never misses what woke it).
 */
public final class ClusterView implements AutoCloseable {

  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

  private final String systemNamespace;
  private final SharedIndexInformer<IscsiTarget> targets;
  private final SharedIndexInformer<IscsiLun> luns;
  private final SharedIndexInformer<IscsiNode> nodes;
  private final SharedIndexInformer<Secret> secrets;
  private final SharedIndexInformer<Lease> leases;
  private final SharedIndexInformer<IscsiPool> pools;
  private final AtomicLong version = new AtomicLong();
  private volatile Triggers triggers = Triggers.NONE;
  private long plannedVersion = -1;
  private Plan plan;

  private ClusterView(
      String systemNamespace,
      SharedIndexInformer<IscsiTarget> targets,
      SharedIndexInformer<IscsiLun> luns,
      SharedIndexInformer<IscsiNode> nodes,
      SharedIndexInformer<Secret> secrets,
      SharedIndexInformer<Lease> leases,
      SharedIndexInformer<IscsiPool> pools) {
    this.systemNamespace = systemNamespace;
    this.targets = targets;
    this.luns = luns;
    this.nodes = nodes;
    this.secrets = secrets;
    this.leases = leases;
    this.pools = pools;
  }

  /**
   * Starts the informers and waits until each has listed once.
   *
   * @param systemNamespace where the agents' Leases and the per-node credential Secrets live
   */
  public static ClusterView start(KubernetesClient client, String systemNamespace) {
    var targets = client.resources(IscsiTarget.class).inAnyNamespace().runnableInformer(0);
    var luns = client.resources(IscsiLun.class).inAnyNamespace().runnableInformer(0);
    var nodes = client.resources(IscsiNode.class).runnableInformer(0);
    var secrets = client.secrets().inAnyNamespace().runnableInformer(0);
    var leases = client.leases().inNamespace(systemNamespace).runnableInformer(0);
    var pools = client.resources(IscsiPool.class).runnableInformer(0);
    ClusterView view =
        new ClusterView(systemNamespace, targets, luns, nodes, secrets, leases, pools);
    targets.addEventHandler(view.handler((o, n) -> view.triggers.targetChanged(o, n)));
    luns.addEventHandler(view.handler((o, n) -> view.triggers.lunChanged(o, n)));
    nodes.addEventHandler(view.handler((o, n) -> view.triggers.nodeChanged(o, n)));
    secrets.addEventHandler(view.handler((o, n) -> view.triggers.secretChanged(o, n)));
    leases.addEventHandler(view.handler((o, n) -> view.triggers.leaseChanged(o, n)));
    pools.addEventHandler(view.handler((o, n) -> view.triggers.poolChanged(o, n)));
    for (SharedIndexInformer<?> informer : view.informers()) {
      try {
        informer.start().toCompletableFuture().get(SYNC_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        view.close();
        throw new IllegalStateException(
            "cannot list "
                + informer.getApiTypeClass().getSimpleName()
                + " from the API server at "
                + client.getMasterUrl()
                + " within "
                + SYNC_TIMEOUT.toSeconds()
                + " s (are the CRDs installed, and may this ServiceAccount list them?): "
                + rootCause(e),
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        view.close();
        throw new IllegalStateException("interrupted while listing from the API server", e);
      }
    }
    return view;
  }

  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.toString();
  }

  /** Where changes go from now on; set once the reconcilers' event sources exist. */
  public void onChange(Triggers triggers) {
    this.triggers = Objects.requireNonNull(triggers);
  }

  public String systemNamespace() {
    return systemNamespace;
  }

  /**
   * The plan for the current state, computed at most once per change. Objects being deleted are
   * left out, so their exports leave the nodes' specs while their finalizers wait.
   */
  public synchronized Plan plan() {
    long current = version.get();
    if (plan == null || plannedVersion != current) {
      Map<String, IscsiNode> byName = new TreeMap<>();
      nodes.getStore().list().forEach(n -> byName.put(n.getMetadata().getName(), n));
      plan =
          NodePlanner.plan(
              live(targets.getStore().list()),
              live(luns.getStore().list()),
              // Pools being deleted too: their volumes stay until their own IscsiLuns go.
              pools.getStore().list(),
              byName,
              this::secretData,
              systemNamespace);
      plannedVersion = current;
    }
    return plan;
  }

  public IscsiTarget target(String namespace, String name) {
    return targets.getStore().getByKey(ObjectKeys.of(namespace, name));
  }

  public List<IscsiTarget> targets() {
    return targets.getStore().list();
  }

  public List<IscsiLun> luns() {
    return luns.getStore().list();
  }

  public IscsiNode node(String name) {
    return nodes.getStore().getByKey(name);
  }

  public List<IscsiNode> nodes() {
    return nodes.getStore().list();
  }

  public IscsiPool pool(String name) {
    return pools.getStore().getByKey(name);
  }

  public List<IscsiPool> pools() {
    return pools.getStore().list();
  }

  public Secret secret(String namespace, String name) {
    return secrets.getStore().getByKey(ObjectKeys.of(namespace, name));
  }

  /** The agent heartbeat of a node, or null. */
  public Lease heartbeat(String node) {
    return leases.getStore().getByKey(ObjectKeys.of(systemNamespace, NodeHealth.leaseName(node)));
  }

  /** Every informer is connected to the API server (for readiness). */
  public boolean watching() {
    return informers().stream().allMatch(SharedIndexInformer::isWatching);
  }

  private List<SharedIndexInformer<?>> informers() {
    return List.of(targets, luns, nodes, secrets, leases, pools);
  }

  private Map<String, String> secretData(String namespace, String name) {
    Secret secret = secret(namespace, name);
    return secret == null ? null : SecretData.decode(secret);
  }

  private static <T extends HasMetadata> List<T> live(List<T> objects) {
    List<T> live = new ArrayList<>();
    for (T o : objects) {
      if (o.getMetadata().getDeletionTimestamp() == null) {
        live.add(o);
      }
    }
    return live;
  }

  private <T> ResourceEventHandler<T> handler(BiConsumer<T, T> changed) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        version.incrementAndGet();
        changed.accept(null, obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        version.incrementAndGet();
        changed.accept(oldObj, newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        version.incrementAndGet();
        changed.accept(obj, null);
      }
    };
  }

  @Override
  public void close() {
    for (SharedIndexInformer<?> informer : informers()) {
      informer.close();
    }
  }
}
