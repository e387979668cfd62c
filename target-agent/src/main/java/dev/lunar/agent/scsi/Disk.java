package dev.lunar.agent.scsi;

import dev.lunar.agent.storage.BackingStore;
import java.io.IOException;

/**
 * The medium of a disk unit: its store seen as logical blocks, plus the settings the SBC commands
 * consult; the changeable mode parameters live in its {@link ModeState}.
 */
final class Disk {

  /** Largest transfer of one command; advertised in the block limits VPD page. */
  static final int MAX_TRANSFER_BYTES = 16 << 20;

  /** Physical block size reported by READ CAPACITY (16); the allocation unit of the stores. */
  static final int PHYSICAL_BLOCK_BYTES = 4096;

  private final BackingStore store;
  private final int blockSize;
  private volatile long blocks;
  private final boolean readOnly;
  private final boolean thin;
  private final LbaRangeLocks locks = new LbaRangeLocks();
  private final ModeState mode;

  Disk(BackingStore store, int blockSize, boolean readOnly, boolean thin) {
    this(store, blockSize, readOnly, thin, new ModeState(null));
  }

  Disk(BackingStore store, int blockSize, boolean readOnly, boolean thin, ModeState mode) {
    if (blockSize < 512 || blockSize > 65536 || Integer.bitCount(blockSize) != 1) {
      throw new IllegalArgumentException(
          "block size must be a power of two from 512: " + blockSize);
    }
    this.store = store;
    this.blockSize = blockSize;
    this.blocks = store.size() / blockSize;
    this.readOnly = readOnly || store.readOnly();
    this.thin = thin && store.canPunchHoles() && !this.readOnly;
    this.mode = mode;
  }

  ModeState mode() {
    return mode;
  }

  /** Whether writes are refused: a read-only unit, or SWP set in the control mode page. */
  boolean writeProtected() {
    return readOnly || mode.current().softwareWriteProtect();
  }

  /** Whether sense data is descriptor format (D_SENSE in the control mode page). */
  boolean descriptorSense() {
    return mode.current().descriptorSense();
  }

  BackingStore store() {
    return store;
  }

  int blockSize() {
    return blockSize;
  }

  long blocks() {
    return blocks;
  }

  /**
   * Reads the store's size again; true when the number of blocks changed (the file or device was
   * resized under the running unit).
   */
  boolean refreshCapacity() throws java.io.IOException {
    long now = store.refreshSize() / blockSize;
    if (now == blocks) {
      return false;
    }
    blocks = now;
    return true;
  }

  boolean readOnly() {
    return readOnly;
  }

  boolean thin() {
    return thin;
  }

  LbaRangeLocks locks() {
    return locks;
  }

  boolean writeCacheEnabled() {
    return mode.current().writeCache();
  }

  /**
   * Logical blocks per physical block as a power of two: the medium is presented with 4 KiB
   * physical blocks, the granularity the stores allocate and unmap in.
   */
  int logicalPerPhysicalExponent() {
    return blockSize >= PHYSICAL_BLOCK_BYTES
        ? 0
        : Integer.numberOfTrailingZeros(PHYSICAL_BLOCK_BYTES / blockSize);
  }

  int maxTransferBlocks() {
    return MAX_TRANSFER_BYTES / blockSize;
  }

  /** LOGICAL BLOCK ADDRESS OUT OF RANGE unless {@code [lba, lba+count)} lies on the medium. */
  void checkRange(long lba, long count) throws CheckCondition {
    if (lba < 0 || count < 0 || lba > blocks || count > blocks - lba) {
      throw CheckCondition.of(SenseCode.LBA_OUT_OF_RANGE);
    }
  }

  /** DATA PROTECT / WRITE PROTECTED when the unit is read-only or software write protected. */
  void checkWritable() throws CheckCondition {
    if (writeProtected()) {
      throw CheckCondition.of(SenseCode.WRITE_PROTECTED);
    }
  }

  /** Store work run while a range of blocks is locked. */
  @FunctionalInterface
  interface LockedAction {
    void run() throws CheckCondition, IOException;
  }

  /** Runs {@code action} holding the lock on {@code [lba, lba+count)} against other writers. */
  void locked(long lba, long count, LockedAction action) throws CheckCondition, IOException {
    try (LbaRangeLocks.Held held = locks.lock(lba, count)) {
      action.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for an LBA range lock", e);
    }
  }

  long offset(long lba) {
    return lba * blockSize;
  }
}
