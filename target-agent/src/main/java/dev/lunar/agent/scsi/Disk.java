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

  /**
   * The unit the stores allocate and deallocate in (a filesystem block or a device page): UNMAP
   * advertises it as the optimal unmap granularity.
   */
  static final int ALLOCATION_UNIT_BYTES = 4096;

  private final BackingStore store;
  private final int blockSize;
  private final int physicalBlockSize;
  private volatile long blocks;
  private final boolean readOnly;
  private final boolean thin;
  private final LbaRangeLocks locks = new LbaRangeLocks();
  private final ModeState mode;

  Disk(BackingStore store, int blockSize, boolean readOnly, boolean thin) {
    this(store, blockSize, readOnly, thin, new ModeState(null));
  }

  Disk(BackingStore store, int blockSize, boolean readOnly, boolean thin, ModeState mode) {
    this(store, blockSize, blockSize, readOnly, thin, mode);
  }

  /**
   * @param physicalBlockSize the physical block of the medium as READ CAPACITY (16) reports it: a
   *     power-of-two multiple of {@code blockSize}, or {@code blockSize} itself (one logical block
   *     per physical block)
   */
  Disk(
      BackingStore store,
      int blockSize,
      int physicalBlockSize,
      boolean readOnly,
      boolean thin,
      ModeState mode) {
    if (blockSize < 512 || blockSize > 65536 || Integer.bitCount(blockSize) != 1) {
      throw new IllegalArgumentException(
          "block size must be a power of two from 512: " + blockSize);
    }
    if (physicalBlockSize < blockSize
        || Integer.bitCount(physicalBlockSize) != 1
        || physicalBlockSize / blockSize > 1 << 15) {
      throw new IllegalArgumentException(
          "physical block size must be a power-of-two multiple of " + blockSize);
    }
    this.store = store;
    this.blockSize = blockSize;
    this.physicalBlockSize = physicalBlockSize;
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
   * Logical blocks per physical block as a power of two (READ CAPACITY (16) byte 13). Zero unless
   * the backing really has larger physical blocks (a 512e disk): a file is presented, as tgt and
   * LIO's fileio present it, with one logical block per physical block.
   */
  int logicalPerPhysicalExponent() {
    return Integer.numberOfTrailingZeros(physicalBlockSize / blockSize);
  }

  /**
   * The optimal unmap granularity in logical blocks: the stores' allocation unit or the physical
   * block, whichever is larger; an UNMAP of less deallocates nothing, it only zeroes.
   */
  int unmapGranularityBlocks() {
    return Math.max(1, Math.max(ALLOCATION_UNIT_BYTES, physicalBlockSize) / blockSize);
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
