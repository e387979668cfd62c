package dev.lunar.agent.node;

import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the logical volumes of pool volumes the spec no longer names, once the engine has applied
 * that spec; level-triggered like the directory pools' collector, and as narrow: only volumes
 * tagged {@link Lvm#VOLUME_TAG} and named {@code lunar-...}, only in a group the spec lists as a
 * pool, never one LVM reports open (or cannot tell), never one being zeroed, and nothing at all
 * while the spec has no pool list.
 */
final class LvmCollector {

  private static final Logger log = LoggerFactory.getLogger(LvmCollector.class);

  private final Lvm lvm;
  private final Predicate<String> busy;

  /**
   * @param busy whether a device is in use by the agent itself beyond the engine (a zeroing)
   */
  LvmCollector(Lvm lvm, Predicate<String> busy) {
    this.lvm = lvm;
    this.busy = busy;
  }

  /**
   * @param spec the applied IscsiNode spec: every device a LUN of it names is kept
   * @param served what the engine serves now; its devices are kept too
   */
  void collect(IscsiNodeSpec spec, TargetSetSpec served) {
    if (spec.pools() == null) {
      return;
    }
    Set<String> named = new HashSet<>();
    for (NodeTarget target : Objects.requireNonNullElse(spec.targets(), List.<NodeTarget>of())) {
      for (NodeLun lun : Objects.requireNonNullElse(target.luns(), List.<NodeLun>of())) {
        if (lun.device() != null) {
          named.add(lun.device());
        }
      }
    }
    for (TargetSpec target : served.targets()) {
      for (LunSpec lun : target.luns()) {
        if (lun.backingStore() != null) {
          named.add(lun.backingStore());
        }
      }
    }
    Set<String> groups = new LinkedHashSet<>();
    spec.pools().stream().map(NodePool::volumeGroup).filter(Objects::nonNull).forEach(groups::add);
    for (String group : groups) {
      collect(group, named);
    }
  }

  private void collect(String group, Set<String> named) {
    List<LogicalVolume> volumes;
    try {
      if (lvm.volumeGroups().stream().noneMatch(g -> g.name().equals(group))) {
        return; // the pool's status says VolumeGroupMissing
      }
      volumes = lvm.logicalVolumes(group);
    } catch (IOException e) {
      log.warn("volume group {} not collected: {}", group, e.getMessage());
      return;
    }
    for (LogicalVolume volume : volumes) {
      String device = "/dev/" + group + "/" + volume.name();
      if (!volume.lunars()
          || !volume.name().startsWith(LvmVolumes.NAME_PREFIX)
          || named.contains(device)
          || named.contains(volume.path())) {
        continue;
      }
      if (!volume.closed() || busy.test(device)) {
        log.info("pool volume {} not removed yet: it is open", device);
        continue;
      }
      try {
        lvm.remove(group, volume.name());
        log.info(
            "removed pool volume {} ({} bytes): no LUN of the spec names it",
            device,
            volume.sizeBytes());
      } catch (IOException e) {
        log.warn("cannot remove pool volume {}: {}", device, e.getMessage());
      }
    }
  }
}
