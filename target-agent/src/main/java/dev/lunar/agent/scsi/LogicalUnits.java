package dev.lunar.agent.scsi;

import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.storage.BackingStore;
import dev.lunar.agent.storage.FileBackingStore;
import dev.lunar.agent.storage.MemoryBackingStore;
import dev.lunar.agent.storage.NullBackingStore;
import dev.lunar.agent.storage.ReadOnlyBackingStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** Opens logical units: disks from a {@link LunSpec}, and the LUN 0 controller. */
public final class LogicalUnits {

  static final String DISK_PRODUCT = "VIRTUAL-DISK";
  static final String CONTROLLER_PRODUCT = "Controller";

  private LogicalUnits() {}

  /**
   * Opens the backing store a spec names and returns a disk unit over it.
   *
   * @throws IOException with a message fit for the user when the store is missing, unreadable, of
   *     an unknown type, or too small for one block
   */
  public static LogicalUnit open(LunSpec spec, LunContext context) throws IOException {
    int blockSize = spec.blockSize() == 0 ? 512 : spec.blockSize();
    if (blockSize < 512 || blockSize > 65536 || Integer.bitCount(blockSize) != 1) {
      throw new IOException("block size must be a power of two from 512 to 65536: " + blockSize);
    }
    BackingStore store = openStore(spec);
    try {
      if (spec.readOnly() && !store.readOnly()) {
        store = new ReadOnlyBackingStore(store);
      }
      if (store.size() < blockSize) {
        throw new IOException(
            "backing store "
                + spec.backingStore()
                + " is smaller than one "
                + blockSize
                + "-byte block");
      }
      Path modeFile =
          context.persistentDir() == null
              ? null
              : context.persistentDir().resolve("lun" + spec.lun() + "-mode.properties");
      int physicalBlockSize =
          spec.lbppbe() > 0
              ? blockSize << spec.lbppbe()
              : PhysicalBlocks.of(spec.backingStore(), blockSize);
      Disk disk =
          new Disk(
              store,
              blockSize,
              physicalBlockSize,
              spec.readOnly(),
              spec.thin(),
              new ModeState(modeFile));
      String serial =
          spec.scsiSerial() == null ? context.defaultSerial(spec.lun()) : spec.scsiSerial();
      String scsiId = spec.scsiId() == null ? context.defaultScsiId(spec.lun()) : spec.scsiId();
      UnitIdentity identity =
          new UnitIdentity(
              UnitIdentity.TYPE_DISK,
              spec.lun(),
              context.targetName(),
              DISK_PRODUCT,
              scsiId,
              serial,
              UnitIdentity.naaFor(context.targetName(), spec.lun(), serial),
              spec.removable());
      ReservationStore reservations =
          context.persistentDir() == null
              ? null
              : new ReservationStore(
                  context.persistentDir().resolve("lun" + spec.lun() + "-reservations.properties"));
      return new ScsiUnit(
          identity,
          disk,
          spec.online(),
          context.restored(),
          reservations,
          unit -> DiskCommands.table(unit, context));
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static BackingStore openStore(LunSpec spec) throws IOException {
    String type = spec.bsType() == null ? "rdwr" : spec.bsType().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "rdwr", "aio" -> {
        if (spec.backingStore() == null || spec.backingStore().isBlank()) {
          throw new IOException("bstype " + type + " needs a backing store path");
        }
        yield FileBackingStore.open(Path.of(spec.backingStore()), spec.readOnly());
      }
      case "null" -> new NullBackingStore(requireSize(spec, type));
      case "mem" -> new MemoryBackingStore(requireSize(spec, type));
      default -> throw new IOException("unknown backing store type " + spec.bsType());
    };
  }

  private static long requireSize(LunSpec spec, String type) throws IOException {
    if (spec.sizeBytes() <= 0) {
      throw new IOException("bstype " + type + " needs a size");
    }
    return spec.sizeBytes();
  }

  /** The LUN 0 storage array controller (device type 0x0C), as tgt presents it. */
  public static LogicalUnit controller(LunContext context) {
    UnitIdentity identity =
        new UnitIdentity(
            UnitIdentity.TYPE_CONTROLLER,
            0,
            context.targetName(),
            CONTROLLER_PRODUCT,
            context.defaultScsiId(0),
            context.defaultSerial(0),
            UnitIdentity.naaFor(context.targetName(), 0, context.defaultSerial(0)),
            false);
    return new ScsiUnit(
        identity,
        null,
        true,
        context.restored(),
        null,
        unit -> DiskCommands.controllerTable(unit, context));
  }
}
