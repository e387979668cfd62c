package dev.lunar.agent.node;

import dev.lunar.agent.daemon.TgtdDaemon;
import dev.lunar.agent.daemon.Version;
import dev.lunar.agent.engine.ApplyReport;
import dev.lunar.agent.node.StatusBuilder.Applied;
import dev.lunar.agent.node.inventory.BlockDevice;
import dev.lunar.agent.node.inventory.DiskInventory;
import dev.lunar.agent.target.TargetState;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeStatus;
import dev.lunar.crds.api.v1alpha1.IscsiNodeStatus.NodePoolStatus;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import dev.lunar.csi.node.ProcessCommandRunner;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of one Kubernetes node (the kubelet pattern): it watches its own IscsiNode, applies the
 * spec through the same engine and state dir as the standalone daemon, and writes what it actually
 * serves into the status. The target keeps serving whatever was last applied while the API server
 * is away, and a restart restores it from the state dir before the API answers.
 */
public final class NodeAgent implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

  /** Status is written at most this often, and only when it changed. */
  static final long STATUS_PERIOD_MILLIS = 2000;

  private final NodeOptions options;
  private final KubernetesClient client;
  private final TgtdDaemon daemon;
  private final DiskInventory inventory;
  private final Clock clock;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
  private final Heartbeat heartbeat;
  private final Map<String, Instant> sessionStarts = new ConcurrentHashMap<>();
  private final PoolVolumes poolVolumes = PoolVolumes.onHost();
  private final DiskVolumes diskVolumes;
  private final SpaceProbe space = SpaceProbe.FILE_STORE;
  private final Lvm lvm = new Lvm(new ProcessCommandRunner());
  private final ExecutorService wipes =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("lvm-wipe").daemon().factory());
  private final LvmVolumes logicalVolumes =
      new LvmVolumes(lvm, Zeroer.ON_HOST, wipes, this::reapplyLater);
  private final LvmCollector logicalVolumeCollector = new LvmCollector(lvm, logicalVolumes::wiping);
  private final LvmMeasurement groups = new LvmMeasurement(lvm);
  private volatile Applied applied;
  private volatile List<BlockDevice> disks = List.of();
  private IscsiNodeStatus lastWritten;
  private volatile SharedIndexInformer<IscsiNode> informer;

  public NodeAgent(
      NodeOptions options,
      KubernetesClient client,
      TgtdDaemon daemon,
      DiskInventory inventory,
      Clock clock) {
    this.options = options;
    this.client = client;
    this.daemon = daemon;
    this.inventory = inventory;
    this.clock = clock;
    this.heartbeat =
        new Heartbeat(
            client,
            options.namespace(),
            options.nodeName(),
            clock,
            Heartbeat.durationFrom(System.getenv("LUNAR_HEARTBEAT_SECONDS")));
    Path stateDir = options.daemon().stateDir();
    this.diskVolumes =
        new DiskVolumes(
            stateDir == null ? null : stateDir.resolve("pool-disks"),
            Zeroer.ON_HOST,
            this::diskFor,
            this::reapplyLater);
  }

  /**
   * Connects to the API server in the background and returns at once: the target already serves the
   * configuration restored from the state dir, and must keep doing so however long the API server
   * stays away. Once it answers, the agent registers the node, starts watching it, and starts the
   * heartbeat and status loops.
   *
   * <p>Readiness ({@code /readyz}) stays the daemon's: ready once the portals serve the restored
   * configuration. Initiators depend only on the iSCSI side, and a lost API connection already
   * shows where it matters, as the heartbeat Lease going stale and the operator marking the node's
   * targets NodeUnavailable; an unready agent would only add noise (a DaemonSet pod is behind no
   * Service) while it serves I/O correctly.
   */
  public void start() {
    refreshInventory();
    scheduler.execute(() -> connect(1));
  }

  /** One attempt to reach the API server; on failure the next one is scheduled with back-off. */
  private void connect(int attempt) {
    try {
      ensureNodeExists();
      informer =
          NodeWatch.start(
              client,
              options.nodeName(),
              this::onSpec,
              // Keep serving: a deleted IscsiNode is recreated, never a reason to drop exports.
              () -> scheduler.execute(guarded(this::ensureNodeExists)));
    } catch (RuntimeException e) {
      if (scheduler.isShutdown()) {
        return;
      }
      Duration delay = ConnectBackoff.delay(attempt);
      log.warn(
          "API server not reachable (attempt {}), retrying in {} s: {}",
          attempt,
          delay.toSeconds(),
          ConnectBackoff.describe(e));
      try {
        scheduler.schedule(() -> connect(attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closing) {
        // close() ran during the attempt: stop trying.
      }
      return;
    }
    if (scheduler.isShutdown()) {
      informer.close();
      return;
    }
    if (attempt > 1) {
      log.info("API server reached after {} attempts", attempt);
    }
    // The spec the first list found is applied before the first status write, so a restarted
    // agent never reports "nothing applied" for the moment between the two.
    informer.getStore().list().forEach(this::onSpec);
    scheduler.scheduleWithFixedDelay(
        guarded(heartbeat::beat), 0, heartbeat.renewSeconds(), TimeUnit.SECONDS);
    scheduler.scheduleWithFixedDelay(
        guarded(this::writeStatusIfChanged), 0, STATUS_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(guarded(this::refreshInventory), 60, 60, TimeUnit.SECONDS);
  }

  private Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (KubernetesClientException e) {
        log.warn("API server: {}", e.getMessage());
      } catch (RuntimeException e) {
        log.error("node agent: {}", e.toString(), e);
      }
    };
  }

  private void ensureNodeExists() {
    if (client.resources(IscsiNode.class).withName(options.nodeName()).get() != null) {
      return;
    }
    IscsiNode node = new IscsiNode();
    node.setMetadata(new ObjectMetaBuilder().withName(options.nodeName()).build());
    try {
      client.resources(IscsiNode.class).resource(node).create();
      log.info("registered IscsiNode {}", options.nodeName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  /** A new or changed spec: applied on the scheduler thread, one at a time, in order. */
  private void onSpec(IscsiNode node) {
    long generation = Objects.requireNonNullElse(node.getMetadata().getGeneration(), 0L);
    Applied current = applied;
    if (current != null && current.generation() == generation) {
      return;
    }
    scheduler.execute(guarded(() -> apply(node, generation)));
  }

  private void apply(IscsiNode node, long generation) {
    Applied current = applied;
    if (current != null && current.generation() == generation) {
      return; // queued twice: by the first list and by the informer's own onAdd
    }
    apply(
        node.getSpec() == null ? new IscsiNodeSpec(null, List.of(), null) : node.getSpec(),
        generation);
  }

  /**
   * A logical volume or a disk finished zeroing (or failed to): the applied spec again, on the
   * scheduler thread, so the volume is served (or its refusal says why) without waiting for a new
   * spec.
   */
  private void reapplyLater() {
    try {
      scheduler.execute(
          guarded(
              () -> {
                Applied current = applied;
                if (current != null) {
                  apply(current.spec(), current.generation());
                }
              }));
    } catch (RejectedExecutionException closing) {
      // close() ran: nothing left to serve.
    }
  }

  private void apply(IscsiNodeSpec spec, long generation) {
    refreshInventory();
    // Pool volumes first: FileBackings would make a missing thick volume sparse.
    Map<String, Refusal> volumes = new HashMap<>(poolVolumes.prepare(spec));
    volumes.putAll(logicalVolumes.prepare(spec));
    volumes.putAll(diskVolumes.refusals(spec));
    DesiredSet desired =
        SpecTranslator.translate(
            spec, credentials(spec), this::diskFor, daemon.controlService().current(), volumes);
    FileBackings.prepare(desired.spec());
    ApplyReport report = daemon.controlService().replace(desired.spec());
    try {
      daemon.stateStore().save(desired.spec());
    } catch (IOException e) {
      log.error("cannot persist the applied spec: {}", e.getMessage());
    }
    // Only now, with the engine serving the new spec, may a dropped volume's file go.
    VolumeCollector.collect(spec, daemon.controlService().current());
    // Only now may a disk start zeroing: no previous export of it is served any more.
    diskVolumes.afterApply(spec, daemon.controlService().current());
    logicalVolumeCollector.collect(spec, daemon.controlService().current());
    applied = new Applied(generation, spec, desired, report, Instant.now(clock).toString());
    log.info(
        "applied IscsiNode {} generation {}: {} target(s), {} problem(s), {} refused",
        options.nodeName(),
        generation,
        desired.spec().targets().size(),
        report.problems().size(),
        desired.refused().size());
    writeStatusIfChanged();
  }

  private BlockDevice diskFor(String path) {
    try {
      BlockDevice disk = inventory.find(disks, path);
      return disk == null ? null : inventory.inspect(disk);
    } catch (IOException e) {
      return null;
    }
  }

  /** The per-node credential Secret, read only from the agent's own namespace. */
  private Map<String, String> credentials(IscsiNodeSpec spec) {
    if (spec.credentialsSecret() == null) {
      return Map.of();
    }
    if (!options.namespace().equals(spec.credentialsSecret().namespace())) {
      log.warn("credential Secret outside namespace {} ignored", options.namespace());
      return Map.of();
    }
    Secret secret =
        client
            .secrets()
            .inNamespace(options.namespace())
            .withName(spec.credentialsSecret().name())
            .get();
    Map<String, String> values = new HashMap<>();
    if (secret != null && secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret != null && secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return values;
  }

  private void refreshInventory() {
    try {
      disks = inventory.scan();
    } catch (IOException e) {
      log.warn("disk inventory: {}", e.getMessage());
    }
  }

  /**
   * Writes the status when it differs from what was last written: an idle node writes nothing. Runs
   * after every apply and on every status tick, and measures the pools each time; their byte
   * figures are settled against the last written ones, so a thin volume filling up costs a write
   * per MiB of change at most, not one per tick.
   */
  private synchronized void writeStatusIfChanged() {
    List<TargetState> live = daemon.engine().state();
    trackSessionStarts(live);
    Condition previous = lastWritten == null ? null : lastWritten.conditions().getFirst();
    Applied current = withZeroingProgress(applied);
    List<NodePoolStatus> pools =
        PoolMeasurement.settle(
            lastWritten == null ? null : lastWritten.pools(),
            PoolMeasurement.measure(current == null ? null : current.spec(), space, groups));
    IscsiNodeStatus status =
        StatusBuilder.build(
            Version.current(), portals(), disks, current, live, sessionStarts, previous, pools);
    if (status.equals(lastWritten)) {
      return;
    }
    client
        .resources(IscsiNode.class)
        .withName(options.nodeName())
        .editStatus(
            node -> {
              node.setStatus(status);
              return node;
            });
    lastWritten = status;
  }

  /**
   * {@code applied} with each zeroing disk's refusal as of now, so the status shows the progress of
   * a wipe that outlasts the apply that started it.
   */
  private Applied withZeroingProgress(Applied applied) {
    if (applied == null || applied.desired().refused().isEmpty()) {
      return applied;
    }
    Map<String, Refusal> now = diskVolumes.refusals(applied.spec());
    Map<String, Refusal> refused = new HashMap<>(applied.desired().refused());
    for (var target : Objects.requireNonNullElse(applied.spec().targets(), List.<NodeTarget>of())) {
      for (NodeLun lun : Objects.requireNonNullElse(target.luns(), List.<NodeLun>of())) {
        String key = DesiredSet.key(target.tid(), lun.lun());
        Refusal was = refused.get(key);
        Refusal fresh = lun.device() == null ? null : now.get(lun.device());
        if (was != null && fresh != null && DiskVolumes.ZEROING.equals(was.reason())) {
          refused.put(key, fresh);
        }
      }
    }
    return new Applied(
        applied.generation(),
        applied.spec(),
        new DesiredSet(applied.desired().spec(), refused),
        applied.report(),
        applied.since());
  }

  private void trackSessionStarts(List<TargetState> live) {
    Map<String, Instant> seen = new HashMap<>();
    for (TargetState target : live) {
      for (TargetState.SessionState s : target.sessions()) {
        String key = target.tid() + "/" + s.sessionId();
        seen.put(key, sessionStarts.getOrDefault(key, Instant.now(clock)));
      }
    }
    sessionStarts.keySet().retainAll(seen.keySet());
    sessionStarts.putAll(seen);
  }

  /** Reachable portals: a wildcard bound address becomes the node's own addresses. */
  private List<String> portals() {
    return PortalAddresses.report(
        daemon.portals(), options.hostIps(), PortalAddresses::interfaceAddresses);
  }

  /** Stops at once, also in the middle of connecting: nothing here waits for the API server. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    diskVolumes.close();
    wipes.shutdownNow();
    SharedIndexInformer<IscsiNode> watching = informer;
    if (watching != null) {
      watching.close();
    }
  }
}
