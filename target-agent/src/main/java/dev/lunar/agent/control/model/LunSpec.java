package dev.lunar.agent.control.model;

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
    boolean removable) {}
