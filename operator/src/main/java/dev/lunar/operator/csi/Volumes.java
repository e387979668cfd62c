package dev.lunar.operator.csi;

import csi.v1.Csi.ListVolumesResponse;
import csi.v1.Csi.Volume;
import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.csi.VolumeContext;
import java.util.List;
import java.util.function.Function;

/** A volume as CSI describes it, and pages of them; pure. */
final class Volumes {

  private Volumes() {}

  /**
   * The volume with the context a node logs in with: the target's first portal, its name and LUN 1.
   * Known once the target is served, which CreateVolume waits for.
   */
  static Volume volume(IscsiLun lun, IscsiTarget target) {
    Volume.Builder volume =
        Volume.newBuilder()
            .setVolumeId(lun.getMetadata().getName())
            .setCapacityBytes(VolumeObjects.capacityBytes(lun));
    if (target != null && target.getStatus() != null) {
      List<String> portals = target.getStatus().portals();
      if (portals != null && !portals.isEmpty()) {
        volume.putVolumeContext(VolumeContext.PORTAL, portals.getFirst());
      }
      if (target.getStatus().iqn() != null) {
        volume.putVolumeContext(VolumeContext.IQN, target.getStatus().iqn());
      }
      volume.putVolumeContext(VolumeContext.LUN, lun.getSpec().lun().toString());
    }
    return volume.build();
  }

  /**
   * One page of {@code volumes} (sorted by name). The token is the index of the next entry: a
   * volume deleted between pages shifts the rest by one, which the spec tolerates (the caller may
   * see a volume twice or miss none that existed throughout).
   */
  static ListVolumesResponse page(
      List<IscsiLun> volumes, String token, int maxEntries, Function<String, IscsiTarget> targets) {
    if (maxEntries < 0) {
      throw CsiErrors.invalid("max_entries cannot be negative");
    }
    int start = 0;
    if (!token.isEmpty()) {
      try {
        start = Integer.parseInt(token);
      } catch (NumberFormatException e) {
        throw CsiErrors.aborted("starting_token " + token + " is not one ListVolumes gave out");
      }
      if (start < 0 || start > volumes.size()) {
        throw CsiErrors.aborted("starting_token " + token + " is past the last volume");
      }
    }
    int end = maxEntries == 0 ? volumes.size() : Math.min(volumes.size(), start + maxEntries);
    ListVolumesResponse.Builder page = ListVolumesResponse.newBuilder();
    for (IscsiLun lun : volumes.subList(start, end)) {
      page.addEntries(
          ListVolumesResponse.Entry.newBuilder()
              .setVolume(volume(lun, targets.apply(lun.getMetadata().getName()))));
    }
    if (end < volumes.size()) {
      page.setNextToken(Integer.toString(end));
    }
    return page.build();
  }
}
