package dev.lunar.operator.plan;

import dev.lunar.crds.api.v1alpha1.DiskStatus;
import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import java.util.List;
import java.util.Objects;

/**
 * The operator's side of device safety: a device-backed LUN goes into its node's spec only when the
 * node's reported inventory holds the device and calls it safe to export (or the LUN says {@code
 * force: true}). The agent checks again when it applies the spec, with the device itself in reach;
 * this check keeps a refused device out of the spec, so the agent never gets asked to open it.
 *
 * <p>Left to the agent: nodes that have not reported an inventory yet, and paths the inventory
 * cannot name (links other than {@code /dev/disk/by-id}, such as by-path or mapper links, which
 * only the node can resolve). A LUN already in the node's spec stays there: "safe to export" is a
 * condition for starting an export, and an exported disk soon holds whatever the initiator writes,
 * a filesystem signature included.
 */
final class DeviceCheck {

  static final String BY_ID = "/dev/disk/by-id/";

  private DeviceCheck() {}

  /**
   * Why {@code lun} may not be written into the spec of {@code node}, or null when it may.
   *
   * @param targetKey the LUN's target, as its {@code source} in the node's spec
   */
  static Verdict refusal(IscsiLun lun, IscsiNode node, String targetKey) {
    String device = lun.getSpec().backing().device();
    if (device == null || Boolean.TRUE.equals(lun.getSpec().force())) {
      return null;
    }
    List<DiskStatus> disks =
        node == null || node.getStatus() == null ? null : node.getStatus().disks();
    if (disks == null || !nameable(device) || alreadyExported(node, targetKey, lun, device)) {
      return null;
    }
    DiskStatus disk = disks.stream().filter(d -> names(d, device)).findFirst().orElse(null);
    String nodeName = node.getMetadata().getName();
    if (disk == null) {
      return new Verdict(
          Verdict.DEVICE_NOT_FOUND, device + " is not in the disk inventory of node " + nodeName);
    }
    if (Boolean.FALSE.equals(disk.safe())) {
      return new Verdict(
          Verdict.DEVICE_IN_USE,
          device
              + " on node "
              + nodeName
              + ": "
              + Objects.requireNonNullElse(disk.unsafeReason(), "not safe to export")
              + " (force: true exports it anyway)");
    }
    return null;
  }

  /** A kernel name, {@code /dev/NAME}, or a by-id link: forms the inventory lists. */
  private static boolean nameable(String device) {
    return !device.contains("/")
        || (device.startsWith("/dev/") && device.indexOf('/', 5) < 0)
        || device.startsWith(BY_ID);
  }

  private static boolean names(DiskStatus disk, String device) {
    return device.equals(disk.name())
        || device.equals("/dev/" + disk.name())
        || (disk.byIdPaths() != null && disk.byIdPaths().contains(device));
  }

  private static boolean alreadyExported(
      IscsiNode node, String targetKey, IscsiLun lun, String device) {
    if (node.getSpec() == null || node.getSpec().targets() == null) {
      return false;
    }
    String lunKey = ObjectKeys.of(lun);
    for (NodeTarget target : node.getSpec().targets()) {
      if (targetKey.equals(target.source()) && target.luns() != null) {
        for (NodeLun written : target.luns()) {
          if (lunKey.equals(written.source()) && device.equals(written.device())) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
