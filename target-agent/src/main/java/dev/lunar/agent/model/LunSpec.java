package dev.lunar.agent.model;

/**
 * One disk of a target.
 *
 * @param lun the LUN number, 1..16383
 * @param backingStore the file or block device path ({@code null} store: any label)
 * @param bsType tgt's backing store type name: {@code rdwr} (file or block device), {@code null}
 *     (discards writes, reads zeros), {@code mem} (in memory, for tests)
 * @param sizeBytes size for stores that have none of their own ({@code null}, {@code mem}); 0 means
 *     take it from the backing store
 * @param blockSize logical block size in bytes (512 or 4096)
 * @param readOnly reject writes with DATA PROTECT
 * @param thin thin provisioning: UNMAP punches holes, GET LBA STATUS reports them
 * @param scsiId the T10 vendor identifier shown as "SCSI ID" (tgt's default {@code IET 00TTLLLL})
 * @param scsiSerial the unit serial number shown as "SCSI SN" (tgt's default {@code beafTL})
 * @param online whether the unit answers commands (tgt's {@code online} parameter)
 * @param removable report removable media
 * @param lbppbe logical blocks per physical block as a power of two (tgt's {@code lbppbe}): 3
 *     presents a 512-byte-block disk with 4 KiB physical blocks; 0 takes the physical block from a
 *     block device, or one logical block per physical block for anything else
 */
public record LunSpec(
    int lun,
    String backingStore,
    String bsType,
    long sizeBytes,
    int blockSize,
    boolean readOnly,
    boolean thin,
    String scsiId,
    String scsiSerial,
    boolean online,
    boolean removable,
    int lbppbe) {

  /** The largest exponent READ CAPACITY (16) carries, in four bits. */
  public static final int MAX_LBPPBE = 15;

  /**
   * A disk with tgt's defaults: {@code rdwr}, 512-byte blocks, online, and tgt's SCSI ID ({@code
   * "IET "} then tid and LUN as four hex digits each) and serial ({@code "beaf"} then tid and LUN
   * in decimal), as tgtd 1.0.85 shows them.
   */
  public static LunSpec tgtDefault(int tid, int lun, String backingStore) {
    return new LunSpec(
        lun,
        backingStore,
        "rdwr",
        0,
        512,
        false,
        false,
        defaultScsiId(tid, lun),
        defaultScsiSerial(tid, lun),
        true,
        false,
        0);
  }

  /** tgt's default "SCSI ID" of a LUN. */
  public static String defaultScsiId(int tid, int lun) {
    return String.format("IET     %04x%04x", tid, lun);
  }

  /** tgt's default "SCSI SN" of a LUN. */
  public static String defaultScsiSerial(int tid, int lun) {
    return "beaf" + tid + lun;
  }

  public LunSpec withBsType(String newBsType) {
    return new LunSpec(
        lun,
        backingStore,
        newBsType,
        sizeBytes,
        blockSize,
        readOnly,
        thin,
        scsiId,
        scsiSerial,
        online,
        removable,
        lbppbe);
  }

  public LunSpec withSizeBytes(long newSizeBytes) {
    return new LunSpec(
        lun,
        backingStore,
        bsType,
        newSizeBytes,
        blockSize,
        readOnly,
        thin,
        scsiId,
        scsiSerial,
        online,
        removable,
        lbppbe);
  }

  public LunSpec withBlockSize(int newBlockSize) {
    return new LunSpec(
        lun,
        backingStore,
        bsType,
        sizeBytes,
        newBlockSize,
        readOnly,
        thin,
        scsiId,
        scsiSerial,
        online,
        removable,
        lbppbe);
  }

  public LunSpec withReadOnly(boolean newReadOnly) {
    return new LunSpec(
        lun,
        backingStore,
        bsType,
        sizeBytes,
        blockSize,
        newReadOnly,
        thin,
        scsiId,
        scsiSerial,
        online,
        removable,
        lbppbe);
  }

  public LunSpec withThin(boolean newThin) {
    return new LunSpec(
        lun,
        backingStore,
        bsType,
        sizeBytes,
        blockSize,
        readOnly,
        newThin,
        scsiId,
        scsiSerial,
        online,
        removable,
        lbppbe);
  }

  public LunSpec withScsiId(String newScsiId) {
    return new LunSpec(
        lun,
        backingStore,
        bsType,
        sizeBytes,
        blockSize,
        readOnly,
        thin,
        newScsiId,
        scsiSerial,
        online,
        removable,
        lbppbe);
  }

  public LunSpec withScsiSerial(String newScsiSerial) {
    return new LunSpec(
        lun,
        backingStore,
        bsType,
        sizeBytes,
        blockSize,
        readOnly,
        thin,
        scsiId,
        newScsiSerial,
        online,
        removable,
        lbppbe);
  }

  public LunSpec withOnline(boolean newOnline) {
    return new LunSpec(
        lun,
        backingStore,
        bsType,
        sizeBytes,
        blockSize,
        readOnly,
        thin,
        scsiId,
        scsiSerial,
        newOnline,
        removable,
        lbppbe);
  }

  public LunSpec withRemovable(boolean newRemovable) {
    return new LunSpec(
        lun,
        backingStore,
        bsType,
        sizeBytes,
        blockSize,
        readOnly,
        thin,
        scsiId,
        scsiSerial,
        online,
        newRemovable,
        lbppbe);
  }

  public LunSpec withLbppbe(int newLbppbe) {
    return new LunSpec(
        lun,
        backingStore,
        bsType,
        sizeBytes,
        blockSize,
        readOnly,
        thin,
        scsiId,
        scsiSerial,
        online,
        removable,
        newLbppbe);
  }
}
