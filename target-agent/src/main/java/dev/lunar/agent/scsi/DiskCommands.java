package dev.lunar.agent.scsi;

import static dev.lunar.agent.scsi.Opcodes.COMPARE_AND_WRITE;
import static dev.lunar.agent.scsi.Opcodes.EXTENDED_COPY;
import static dev.lunar.agent.scsi.Opcodes.INQUIRY;
import static dev.lunar.agent.scsi.Opcodes.MAINTENANCE_IN;
import static dev.lunar.agent.scsi.Opcodes.MODE_SELECT_10;
import static dev.lunar.agent.scsi.Opcodes.MODE_SELECT_6;
import static dev.lunar.agent.scsi.Opcodes.MODE_SENSE_10;
import static dev.lunar.agent.scsi.Opcodes.MODE_SENSE_6;
import static dev.lunar.agent.scsi.Opcodes.ORWRITE_16;
import static dev.lunar.agent.scsi.Opcodes.PERSISTENT_RESERVE_IN;
import static dev.lunar.agent.scsi.Opcodes.PERSISTENT_RESERVE_OUT;
import static dev.lunar.agent.scsi.Opcodes.PREVENT_ALLOW_MEDIUM_REMOVAL;
import static dev.lunar.agent.scsi.Opcodes.PRE_FETCH_10;
import static dev.lunar.agent.scsi.Opcodes.PRE_FETCH_16;
import static dev.lunar.agent.scsi.Opcodes.READ_10;
import static dev.lunar.agent.scsi.Opcodes.READ_12;
import static dev.lunar.agent.scsi.Opcodes.READ_16;
import static dev.lunar.agent.scsi.Opcodes.READ_6;
import static dev.lunar.agent.scsi.Opcodes.READ_CAPACITY_10;
import static dev.lunar.agent.scsi.Opcodes.READ_DEFECT_DATA_10;
import static dev.lunar.agent.scsi.Opcodes.READ_DEFECT_DATA_12;
import static dev.lunar.agent.scsi.Opcodes.RECEIVE_COPY_RESULTS;
import static dev.lunar.agent.scsi.Opcodes.RELEASE_10;
import static dev.lunar.agent.scsi.Opcodes.RELEASE_6;
import static dev.lunar.agent.scsi.Opcodes.REPORT_LUNS;
import static dev.lunar.agent.scsi.Opcodes.REQUEST_SENSE;
import static dev.lunar.agent.scsi.Opcodes.RESERVE_10;
import static dev.lunar.agent.scsi.Opcodes.RESERVE_6;
import static dev.lunar.agent.scsi.Opcodes.SANITIZE;
import static dev.lunar.agent.scsi.Opcodes.SERVICE_ACTION_IN_16;
import static dev.lunar.agent.scsi.Opcodes.START_STOP_UNIT;
import static dev.lunar.agent.scsi.Opcodes.SYNCHRONIZE_CACHE_10;
import static dev.lunar.agent.scsi.Opcodes.SYNCHRONIZE_CACHE_16;
import static dev.lunar.agent.scsi.Opcodes.TEST_UNIT_READY;
import static dev.lunar.agent.scsi.Opcodes.UNMAP;
import static dev.lunar.agent.scsi.Opcodes.VERIFY_10;
import static dev.lunar.agent.scsi.Opcodes.VERIFY_12;
import static dev.lunar.agent.scsi.Opcodes.VERIFY_16;
import static dev.lunar.agent.scsi.Opcodes.WRITE_10;
import static dev.lunar.agent.scsi.Opcodes.WRITE_12;
import static dev.lunar.agent.scsi.Opcodes.WRITE_16;
import static dev.lunar.agent.scsi.Opcodes.WRITE_6;
import static dev.lunar.agent.scsi.Opcodes.WRITE_AND_VERIFY_10;
import static dev.lunar.agent.scsi.Opcodes.WRITE_AND_VERIFY_12;
import static dev.lunar.agent.scsi.Opcodes.WRITE_AND_VERIFY_16;
import static dev.lunar.agent.scsi.Opcodes.WRITE_ATOMIC_16;
import static dev.lunar.agent.scsi.Opcodes.WRITE_SAME_10;
import static dev.lunar.agent.scsi.Opcodes.WRITE_SAME_16;
import static dev.lunar.agent.scsi.ReadCapacityCommand.SA_GET_LBA_STATUS;
import static dev.lunar.agent.scsi.ReadCapacityCommand.SA_READ_CAPACITY_16;
import static dev.lunar.agent.scsi.ReportOpcodesCommand.SA_REPORT_SUPPORTED_OPCODES;

/** The command tables: SPC commands every unit answers, plus the SBC commands of a disk. */
final class DiskCommands {

  private DiskCommands() {}

  /** The primary commands, shared by the controller and the disks. */
  static CommandTable controllerTable(ScsiUnit unit, LunContext context) {
    return new CommandTable()
        .add(new InquiryCommand(unit), INQUIRY)
        .add(new ReportLunsCommand(context.lunNumbers()), REPORT_LUNS)
        .add(
            new StatusCommands(unit.attentions(), unit.sanitizer()), TEST_UNIT_READY, REQUEST_SENSE)
        .add(new ReportOpcodesCommand(unit), MAINTENANCE_IN)
        .serviceActions(MAINTENANCE_IN, SA_REPORT_SUPPORTED_OPCODES)
        .add(
            new ReservationCommands(unit.reservations()),
            RESERVE_6,
            RELEASE_6,
            RESERVE_10,
            RELEASE_10)
        .add(new PersistentReserveInCommand(unit.persistentReservations()), PERSISTENT_RESERVE_IN)
        .serviceActions(PERSISTENT_RESERVE_IN, 0, 1, 2, 3)
        .add(new PersistentReserveOutCommand(unit.persistentReservations()), PERSISTENT_RESERVE_OUT)
        .serviceActions(PERSISTENT_RESERVE_OUT, 0, 1, 2, 3, 4, 5, 6);
  }

  static CommandTable table(ScsiUnit unit, LunContext context) {
    Disk disk = unit.disk();
    CommandTable table =
        controllerTable(unit, context)
            .add(
                new ReadCapacityCommand(disk, new GetLbaStatusCommand(disk)),
                READ_CAPACITY_10,
                SERVICE_ACTION_IN_16)
            .serviceActions(SERVICE_ACTION_IN_16, SA_READ_CAPACITY_16, SA_GET_LBA_STATUS)
            .add(
                new ReadWriteCommands(disk),
                READ_6,
                READ_10,
                READ_12,
                READ_16,
                WRITE_6,
                WRITE_10,
                WRITE_12,
                WRITE_16)
            .add(
                new VerifyCommands(disk),
                VERIFY_10,
                VERIFY_12,
                VERIFY_16,
                WRITE_AND_VERIFY_10,
                WRITE_AND_VERIFY_12,
                WRITE_AND_VERIFY_16)
            .add(new WriteSameCommand(disk), WRITE_SAME_10, WRITE_SAME_16)
            .add(new CompareAndWriteCommand(disk), COMPARE_AND_WRITE)
            .add(new OrWriteCommand(disk), ORWRITE_16)
            .add(new WriteAtomicCommand(disk), WRITE_ATOMIC_16)
            .add(new ReadDefectDataCommand(), READ_DEFECT_DATA_10, READ_DEFECT_DATA_12)
            .add(new ModeSenseCommand(disk), MODE_SENSE_6, MODE_SENSE_10)
            .add(new ModeSelectCommand(disk, unit.attentions()), MODE_SELECT_6, MODE_SELECT_10)
            .add(
                new CacheCommands(disk),
                SYNCHRONIZE_CACHE_10,
                SYNCHRONIZE_CACHE_16,
                PRE_FETCH_10,
                PRE_FETCH_16)
            .add(
                new MediumCommands(unit.preventingRemoval()),
                START_STOP_UNIT,
                PREVENT_ALLOW_MEDIUM_REMOVAL);
    table
        .add(new SanitizeCommand(disk, unit.sanitizer()), SANITIZE)
        .serviceActions(SANITIZE, SanitizeCommand.serviceActions(disk));
    long naa = unit.identity().naa();
    table
        .add(
            new ExtendedCopyCommand(
                other -> other == naa ? disk : context.diskByNaa(other), unit.copyResults()),
            EXTENDED_COPY)
        .serviceActions(EXTENDED_COPY, 0)
        .add(new ReceiveCopyResultsCommand(unit.copyResults()), RECEIVE_COPY_RESULTS)
        .serviceActions(
            RECEIVE_COPY_RESULTS,
            ReceiveCopyResultsCommand.SA_COPY_STATUS,
            ReceiveCopyResultsCommand.SA_OPERATING_PARAMETERS);
    if (disk.thin() || disk.readOnly()) {
      // A read-only unit answers UNMAP too, with DATA PROTECT: it changes the medium.
      table.add(new UnmapCommand(disk), UNMAP);
    }
    return table;
  }
}
