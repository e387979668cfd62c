package dev.lunar.agent.node;

import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.agent.node.inventory.BlockDevice;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volumes of disk pools on this node: whole disks, each zeroed before it first serves a new
 * volume (so no volume ever reads an earlier tenant's data) and wiped again once its volume left
 * the spec (so a departed tenant's data does not sit on the disk, and the disk looks blank, safe,
 * to the inventory again, which is what lets the operator give it out anew).
 *
 * <p>Zeroing a large disk takes hours, so it runs on a thread of its own, one per disk, never on
 * the agent's apply thread; meanwhile the volume is refused with reason {@value #ZEROING} and its
 * progress, and once a wipe ends {@code onDone} asks for the spec to be applied again. A wipe
 * starts only once the engine no longer serves the disk, so a previous export never writes into a
 * disk being zeroed. The {@link DiskLedger} records each finished zeroing durably; a disk whose
 * record names another volume, or that has none, is zeroed again from the start.
 */
final class DiskVolumes implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DiskVolumes.class);

  /** A disk being zeroed before it serves its volume. */
  public static final String ZEROING = "Zeroing";

  /** A disk that could not be zeroed. */
  public static final String ZEROING_FAILED = "ZeroingFailed";

  /** A wipe under way: the volume it is for (null: a release), its size and the bytes done. */
  private record Wipe(String volume, long sizeBytes, AtomicLong done) {}

  private final DiskLedger ledger;
  private final Zeroer zeroer;
  private final Function<String, BlockDevice> diskFor;
  private final Runnable onDone;
  private final ExecutorService workers =
      Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().name("zero-", 0).factory());
  private final Map<String, Wipe> wipes = new ConcurrentHashMap<>();
  private final Map<String, String> failures = new ConcurrentHashMap<>();

  /**
   * @param ledgerDir where the records go, in the agent's state dir; null when the agent has none,
   *     and then no disk volume is served (there is nowhere to record a finished zeroing)
   * @param diskFor the inventory's view of the disk a path names, or null
   * @param onDone called on the wipe's thread after each wipe ends, however it ended
   */
  DiskVolumes(
      Path ledgerDir, Zeroer zeroer, Function<String, BlockDevice> diskFor, Runnable onDone) {
    this.ledger = ledgerDir == null ? null : new DiskLedger(ledgerDir);
    this.zeroer = zeroer;
    this.diskFor = diskFor;
    this.onDone = onDone;
  }

  /**
   * The names of the spec's disk pools. Their kind, not the LUN's shape, makes a pool device a
   * disk: a volume group pool's logical volumes are pool devices too, and must never be zeroed
   * here.
   */
  static Set<String> diskPools(IscsiNodeSpec spec) {
    Set<String> names = new HashSet<>();
    for (NodePool pool : Objects.requireNonNullElse(spec.pools(), List.<NodePool>of())) {
      if (Boolean.TRUE.equals(pool.disks())) {
        names.add(pool.name());
      }
    }
    return names;
  }

  /**
   * Why each disk volume of {@code spec} cannot be served now, by its device path; a volume absent
   * from the answer is zeroed for its identity and may be served.
   */
  Map<String, Refusal> refusals(IscsiNodeSpec spec) {
    Map<String, Refusal> refused = new TreeMap<>();
    named(spec)
        .forEach(
            (device, volume) -> {
              Refusal refusal = refusal(device, volume);
              if (refusal != null) {
                refused.put(device, refusal);
              }
            });
    return refused;
  }

  private Refusal refusal(String device, String volume) {
    if (ledger == null) {
      return new Refusal(
          ZEROING_FAILED, "the agent has no state dir to record zeroing in; " + device + " waits");
    }
    Wipe wipe = wipes.get(device);
    if (wipe != null) {
      return new Refusal(ZEROING, progress(device, wipe, volume));
    }
    String failure = failures.get(device + "|" + volume);
    if (failure != null) {
      return new Refusal(ZEROING_FAILED, failure);
    }
    DiskLedger.Entry entry;
    try {
      entry = ledger.get(device);
    } catch (IOException e) {
      return new Refusal(ZEROING_FAILED, "cannot read the zeroing record of " + device + ": " + e);
    }
    if (entry != null && volume.equals(entry.volume())) {
      return null;
    }
    Refusal unsafe = unsafe(device, entry != null);
    if (unsafe != null) {
      return unsafe;
    }
    return new Refusal(ZEROING, device + " is zeroed before it first serves this volume; starting");
  }

  /**
   * After the engine applied {@code spec} (and serves {@code served}): starts the zeroing of each
   * disk volume not zeroed for its identity, and the wipe of each disk of ours that no LUN names
   * any more, the latter only while the spec lists pools (silence about pools must not read as
   * "wipe them all").
   */
  void afterApply(IscsiNodeSpec spec, TargetSetSpec served) {
    if (ledger == null) {
      return;
    }
    Set<String> serving = new HashSet<>();
    for (TargetSpec target : served.targets()) {
      for (LunSpec lun : target.luns()) {
        serving.add(lun.backingStore());
      }
    }
    Map<String, String> named = named(spec);
    Map<String, DiskLedger.Entry> records;
    try {
      records = ledger.read();
    } catch (IOException e) {
      log.warn("cannot read the disk zeroing records: {}", e.getMessage());
      return;
    }
    named.forEach(
        (device, volume) -> {
          DiskLedger.Entry entry = records.get(device);
          boolean done = entry != null && volume.equals(entry.volume());
          if (!done
              && !serving.contains(device)
              && !failures.containsKey(device + "|" + volume)
              && unsafe(device, entry != null) == null) {
            start(device, volume);
          }
        });
    if (spec.pools() == null) {
      return;
    }
    records.forEach(
        (device, entry) -> {
          if (!named.containsKey(device)
              && !serving.contains(device)
              && unsafe(device, true) == null) {
            start(device, null);
          }
        });
  }

  private void start(String device, String volume) {
    BlockDevice disk = diskFor.apply(device);
    long size = disk.sizeBytes();
    Wipe wipe = new Wipe(volume, size, new AtomicLong());
    if (wipes.putIfAbsent(device, wipe) != null) {
      return; // one wipe per disk at a time; the next apply starts the one still needed
    }
    log.info(
        "zeroing {} ({} bytes) {}",
        device,
        size,
        volume == null ? "after its volume left the spec" : "before it serves volume " + volume);
    workers.execute(() -> run(device, wipe));
  }

  private void run(String device, Wipe wipe) {
    try {
      ledger.wiping(device);
      zeroer.zero(Path.of(device), wipe.sizeBytes(), wipe.done()::set);
      if (wipe.volume() == null) {
        ledger.forget(device);
      } else {
        ledger.zeroedFor(device, wipe.volume());
      }
      log.info("zeroed {} ({} bytes)", device, wipe.sizeBytes());
    } catch (InterruptedException e) {
      log.info("zeroing {} stopped at byte {}; it starts over", device, wipe.done().get());
      return;
    } catch (IOException | RuntimeException e) {
      String message = "cannot zero " + device + ": " + e.getMessage();
      log.warn(message);
      failures.put(device + "|" + wipe.volume(), message);
    } finally {
      wipes.remove(device, wipe);
    }
    onDone.run();
  }

  /**
   * Why the disk may not be zeroed or served: the node uses it. A disk of ours may hold a tenant's
   * filesystem (that is what volumes are for), so for it only the host's own use counts; any other
   * disk must still be as blank as when the operator chose it.
   */
  private Refusal unsafe(String device, boolean ours) {
    BlockDevice disk = diskFor.apply(device);
    if (disk == null) {
      return new Refusal(Refusal.DEVICE_NOT_FOUND, device + " is not a block device of this node");
    }
    boolean hostUses = disk.backsRoot() || disk.mounted() || !disk.holders().isEmpty();
    if (ours ? hostUses : !disk.safe()) {
      return new Refusal(Refusal.DEVICE_IN_USE, device + " " + disk.reason() + "; not zeroed");
    }
    return null;
  }

  private static String progress(String device, Wipe wipe, String volume) {
    if (!Objects.equals(wipe.volume(), volume)) {
      return device + " is being wiped after its previous volume; zeroing for this one follows";
    }
    long percent = wipe.sizeBytes() == 0 ? 100 : wipe.done().get() * 100 / wipe.sizeBytes();
    // Whole steps of 5%, so a long wipe costs the status a write per step, not one per tick.
    return device
        + " is being zeroed before it first serves this volume: "
        + percent / 5 * 5
        + "% of "
        + wipe.sizeBytes()
        + " bytes";
  }

  /** The disk volumes of the spec: identity by device path. */
  private static Map<String, String> named(IscsiNodeSpec spec) {
    Set<String> diskPools = diskPools(spec);
    Map<String, String> named = new TreeMap<>();
    for (NodeTarget target : Objects.requireNonNullElse(spec.targets(), List.<NodeTarget>of())) {
      for (NodeLun lun : Objects.requireNonNullElse(target.luns(), List.<NodeLun>of())) {
        if (lun.device() != null && diskPools.contains(lun.pool())) {
          named.put(lun.device(), Objects.requireNonNullElse(lun.volume(), lun.source()));
        }
      }
    }
    return named;
  }

  /** Stops the wipes; each starts over from the first byte when the agent comes back. */
  @Override
  public void close() {
    workers.shutdownNow();
  }
}
