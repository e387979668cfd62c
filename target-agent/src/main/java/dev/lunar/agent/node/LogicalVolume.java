package dev.lunar.agent.node;

import java.util.Set;

/**
 * One row of {@code lvs}, as {@link LvmReport} reads it.
 *
 * @param attr lvs(8)'s attribute string; its fifth character is the state ({@code a} active, {@code
 *     -} inactive, {@code X} unknown)
 * @param deviceOpen 1 open, 0 not open, -1 unknown (lvs cannot tell, as without device-mapper)
 * @param zero for a thin pool and its thin volumes: 1 when new chunks are zeroed, 0 when not
 * @param dataPercent how full a thin pool's data is, in percent; null when lvs does not know
 */
record LogicalVolume(
    String name,
    String path,
    long sizeBytes,
    Set<String> tags,
    String attr,
    int deviceOpen,
    String segtype,
    String poolLv,
    int zero,
    Double dataPercent) {

  boolean thinPool() {
    return "thin-pool".equals(segtype);
  }

  /** Known to be inactive (state {@code -}); {@code X}, unknown, is not. */
  boolean inactive() {
    return attr.length() > 4 && attr.charAt(4) == '-';
  }

  /** Only a device lvs says is closed counts as closed; unknown is taken as open. */
  boolean closed() {
    return deviceOpen == 0;
  }

  boolean lunars() {
    return tags.contains(Lvm.VOLUME_TAG);
  }

  boolean unwiped() {
    return tags.contains(Lvm.UNWIPED_TAG);
  }
}
