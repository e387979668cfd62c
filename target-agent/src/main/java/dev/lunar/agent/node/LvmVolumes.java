package dev.lunar.agent.node;

import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the logical volumes of the spec's volume group pools before the engine opens them. A thin
 * volume in a pool with a thin pool is a thin logical volume there; every other volume is a linear
 * one in the group (a thin request of a group without a thin pool too, as TopoLVM's device classes
 * do: the pool's kind decides, and a thick volume costs nothing the operator's admission did not
 * already count).
 *
 * <p>A linear volume holds whatever the group's last user of those extents wrote, so it is zeroed
 * all through before it is served: in the background, since that takes minutes per hundred GiB and
 * must not stall the agent's other work; the volume is refused ({@code VolumeWiping}) until then,
 * and {@code onWiped} asks for the spec to be applied again. The tag {@link Lvm#UNWIPED_TAG},
 * dropped only after the last zero is on the device, makes a restart zero it again rather than
 * serve a half-wiped one. A thin volume needs no wipe: its unwritten chunks read as zeros, as long
 * as the thin pool zeroes new chunks, which is checked.
 */
final class LvmVolumes {

  private static final Logger log = LoggerFactory.getLogger(LvmVolumes.class);

  /** How the operator names every pool logical volume; Lunar touches no LV without it. */
  static final String NAME_PREFIX = "lunar-";

  private static final Pattern LV_NAME = Pattern.compile("[A-Za-z0-9+_.-]{1,127}");

  private final Lvm lvm;
  private final Zeroer zeroer;
  private final Executor wipes;
  private final Runnable onWiped;
  private final Set<String> wiping = ConcurrentHashMap.newKeySet();
  private final Map<String, String> wipeFailures = new ConcurrentHashMap<>();

  /**
   * @param wipes runs the zeroing, one volume at a time
   * @param onWiped called after each zeroing ends, done or failed, from the wiping thread
   */
  LvmVolumes(Lvm lvm, Zeroer zeroer, Executor wipes, Runnable onWiped) {
    this.lvm = lvm;
    this.zeroer = zeroer;
    this.wipes = wipes;
    this.onWiped = onWiped;
  }

  /**
   * Makes every missing logical volume of the spec's volume group pools.
   *
   * @return why a volume cannot be served (yet), by its device as the spec names it
   */
  Map<String, Refusal> prepare(IscsiNodeSpec spec) {
    Map<String, Refusal> refused = new HashMap<>();
    for (NodePool pool : Objects.requireNonNullElse(spec.pools(), List.<NodePool>of())) {
      List<NodeLun> volumes = volumesOf(spec, pool);
      if (pool.volumeGroup() == null || volumes.isEmpty()) {
        continue;
      }
      GroupState state;
      try {
        state = GroupState.load(lvm, pool.volumeGroup());
      } catch (IOException e) {
        Refusal refusal = new Refusal(Refusal.POOL_VOLUME_FAILED, e.getMessage());
        volumes.forEach(v -> refused.put(v.device(), refusal));
        continue;
      }
      for (NodeLun volume : volumes) {
        boolean existed = state.volumes().containsKey(nameIn(pool.volumeGroup(), volume.device()));
        Refusal refusal = prepare(pool, state, volume);
        if (!existed && (refusal == null || refusal.reason().equals(Refusal.VOLUME_WIPING))) {
          // A volume was made: the next one is measured against what is left.
          state = reload(pool.volumeGroup(), state);
        }
        if (refusal != null) {
          log.warn("pool volume {} refused: {}", volume.device(), refusal.message());
          refused.put(volume.device(), refusal);
        }
      }
    }
    return refused;
  }

  private GroupState reload(String group, GroupState previous) {
    try {
      return GroupState.load(lvm, group);
    } catch (IOException e) {
      return previous; // lvcreate itself refuses what no longer fits
    }
  }

  private Refusal prepare(NodePool pool, GroupState state, NodeLun volume) {
    String group = pool.volumeGroup();
    String name = nameIn(group, volume.device());
    if (name == null) {
      return new Refusal(
          Refusal.POOL_VOLUME_FAILED,
          volume.device() + " is not a Lunar logical volume path of volume group " + group);
    }
    if (state.group() == null) {
      return new Refusal(
          Refusal.VOLUME_GROUP_MISSING, "volume group " + group + " does not exist on this node");
    }
    boolean thin = !Boolean.FALSE.equals(volume.thin()) && pool.thinPool() != null;
    if (thin) {
      Refusal refusal = thinPoolRefusal(pool, state);
      if (refusal != null) {
        return refusal;
      }
    }
    LogicalVolume existing = state.volumes().get(name);
    try {
      return existing == null
          ? create(pool, state, name, volume, thin)
          : serve(group, existing, volume.device());
    } catch (IOException e) {
      return new Refusal(
          Refusal.POOL_VOLUME_FAILED, "cannot make " + volume.device() + ": " + e.getMessage());
    }
  }

  private static Refusal thinPoolRefusal(NodePool pool, GroupState state) {
    String group = pool.volumeGroup();
    LogicalVolume thinPool = state.thinPool(pool.thinPool());
    if (thinPool == null) {
      return new Refusal(
          Refusal.THIN_POOL_MISSING,
          "volume group " + group + " has no thin pool " + pool.thinPool());
    }
    String notZeroing = GroupState.notZeroing(group, thinPool);
    return notZeroing == null ? null : new Refusal(Refusal.THIN_POOL_NOT_ZEROING, notZeroing);
  }

  private Refusal create(NodePool pool, GroupState state, String name, NodeLun volume, boolean thin)
      throws IOException {
    String group = pool.volumeGroup();
    long size = Objects.requireNonNullElse(volume.sizeBytes(), 0L);
    if (size <= 0) {
      return new Refusal(Refusal.POOL_VOLUME_FAILED, volume.device() + " has no size to make");
    }
    if (thin) {
      LogicalVolume thinPool = state.thinPool(pool.thinPool());
      long free = GroupState.thinPoolFree(thinPool);
      if (size > free) {
        return noSpace("thin", volume, size, "thin pool " + group + "/" + thinPool.name(), free);
      }
      lvm.createThin(group, thinPool.name(), name, size);
      log.info("created thin volume {} ({} bytes)", volume.device(), size);
      return null;
    }
    long needed = state.group().extentsFor(size);
    if (needed > state.group().freeBytes()) {
      return noSpace("thick", volume, needed, "volume group " + group, state.group().freeBytes());
    }
    lvm.createLinear(group, name, size);
    log.info("created linear volume {} ({} bytes); zeroing it", volume.device(), size);
    return startWipe(group, name, volume.device(), needed);
  }

  /** An existing volume: Lunar's, zeroed and active, or why not. */
  private Refusal serve(String group, LogicalVolume existing, String device) throws IOException {
    if (!existing.lunars()) {
      return new Refusal(
          Refusal.POOL_VOLUME_FAILED,
          device + " exists without the tag " + Lvm.VOLUME_TAG + ": not Lunar's, left alone");
    }
    if (existing.unwiped()) {
      return startWipe(group, existing.name(), device, existing.sizeBytes());
    }
    if (existing.inactive()) {
      lvm.activate(group, existing.name());
    }
    return null;
  }

  private Refusal startWipe(String group, String name, String device, long bytes) {
    String failure = wipeFailures.get(device);
    if (failure != null) {
      return new Refusal(
          Refusal.POOL_VOLUME_FAILED,
          "zeroing " + device + " failed (tried again when the agent restarts): " + failure);
    }
    if (wiping.add(device)) {
      wipes.execute(() -> wipe(group, name, device, bytes));
    }
    return new Refusal(
        Refusal.VOLUME_WIPING,
        device + ": zeroing " + bytes + " bytes left by the previous user of that space");
  }

  private void wipe(String group, String name, String device, long bytes) {
    try {
      zeroer.zero(Path.of(device), bytes, done -> {});
      lvm.markWiped(group, name);
      log.info("zeroed {} ({} bytes)", device, bytes);
    } catch (InterruptedException e) {
      // The agent is closing; the volume keeps its unwiped tag, so the next start zeroes it again.
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      wipeFailures.put(device, e.getMessage() == null ? e.toString() : e.getMessage());
      log.warn("cannot zero {}: {}", device, e.getMessage());
    } finally {
      wiping.remove(device);
      onWiped.run();
    }
  }

  /** Whether a volume's zeroing is under way: such a volume is open and never collected. */
  boolean wiping(String device) {
    return wiping.contains(device);
  }

  private static Refusal noSpace(String kind, NodeLun volume, long size, String where, long free) {
    return new Refusal(
        Refusal.NO_SPACE,
        kind
            + " volume "
            + volume.device()
            + " needs "
            + size
            + " bytes, "
            + where
            + " has "
            + free
            + " free");
  }

  /**
   * The logical volume name {@code device} gives in {@code group}: {@code /dev/<group>/lunar-...}
   * and a name LVM accepts, or null. The agent makes nothing the operator could not have named.
   */
  static String nameIn(String group, String device) {
    String prefix = "/dev/" + group + "/";
    if (device == null || !device.startsWith(prefix)) {
      return null;
    }
    String name = device.substring(prefix.length());
    return name.startsWith(NAME_PREFIX) && LV_NAME.matcher(name).matches() ? name : null;
  }

  /** The spec's volumes of one pool, once per device however many LUNs name it. */
  static List<NodeLun> volumesOf(IscsiNodeSpec spec, NodePool pool) {
    Map<String, NodeLun> byDevice = new LinkedHashMap<>();
    for (NodeTarget target : Objects.requireNonNullElse(spec.targets(), List.<NodeTarget>of())) {
      for (NodeLun lun : Objects.requireNonNullElse(target.luns(), List.<NodeLun>of())) {
        if (pool.name().equals(lun.pool()) && lun.device() != null) {
          byDevice.putIfAbsent(lun.device(), lun);
        }
      }
    }
    return new ArrayList<>(byDevice.values());
  }
}
