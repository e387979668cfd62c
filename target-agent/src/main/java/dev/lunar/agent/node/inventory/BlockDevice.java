package dev.lunar.agent.node.inventory;

import java.util.List;

/**
 * One block device of the node, as the agent reports it in IscsiNode status.
 *
 * @param name kernel name, e.g. {@code sdb}
 * @param devicePath the device node, e.g. {@code /dev/sdb}
 * @param byIdPaths stable udev links under /dev/disk/by-id that point at it
 * @param sizeBytes capacity
 * @param logicalBlockSize logical block size in bytes
 * @param physicalBlockSize physical block size in bytes
 * @param rotational spinning media
 * @param model the device's model string, or {@code null}
 * @param serial its serial number, or {@code null}
 * @param wwn its World Wide Name, or {@code null}
 * @param mounted it, one of its partitions or a device built on it is mounted (or swap)
 * @param partitioned it holds partitions
 * @param signature a filesystem, RAID, LVM or partition-table signature found on it, or {@code
 *     null}
 * @param backsRoot the root filesystem lives on it
 * @param holders devices built on it (device-mapper, md), by kernel name
 * @param safe nothing suggests the node uses it: it may be exported without {@code force}
 * @param reason why it is not safe, or {@code null} when it is
 */
public record BlockDevice(
    String name,
    String devicePath,
    List<String> byIdPaths,
    long sizeBytes,
    int logicalBlockSize,
    int physicalBlockSize,
    boolean rotational,
    String model,
    String serial,
    String wwn,
    boolean mounted,
    boolean partitioned,
    String signature,
    boolean backsRoot,
    List<String> holders,
    boolean safe,
    String reason) {

  public BlockDevice {
    byIdPaths = List.copyOf(byIdPaths);
    holders = List.copyOf(holders);
  }
}
