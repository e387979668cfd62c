package dev.lunar.agent.storage;

/**
 * A byte range of a store and whether it is allocated (holds data) or a hole (reads as zeros).
 *
 * @param offset first byte
 * @param length number of bytes
 * @param allocated {@code true} for data, {@code false} for a hole
 */
public record Extent(long offset, long length, boolean allocated) {

  /** The first byte after this extent. */
  public long end() {
    return offset + length;
  }
}
