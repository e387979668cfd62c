package dev.lunar.agent.node;

/** One row of {@code vgs}: the group's size, its unallocated space and its extent size. */
record VolumeGroup(String name, long sizeBytes, long freeBytes, long extentBytes) {

  /** What a linear volume of {@code bytes} takes: LVM rounds it up to whole extents. */
  long extentsFor(long bytes) {
    return extentBytes <= 0 ? bytes : (bytes + extentBytes - 1) / extentBytes * extentBytes;
  }
}
