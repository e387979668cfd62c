package dev.lunar.agent.scsi;

import static dev.lunar.agent.scsi.ModeSenseCommand.MODE_SENSE_10;
import static dev.lunar.agent.scsi.ModeSenseCommand.MODE_SENSE_6;
import static dev.lunar.agent.scsi.ReadCapacityCommand.READ_CAPACITY_10;
import static dev.lunar.agent.scsi.ReadCapacityCommand.SERVICE_ACTION_IN_16;
import static dev.lunar.agent.scsi.ReadWriteCommands.READ_10;
import static dev.lunar.agent.scsi.ReadWriteCommands.READ_12;
import static dev.lunar.agent.scsi.ReadWriteCommands.READ_16;
import static dev.lunar.agent.scsi.ReadWriteCommands.READ_6;
import static dev.lunar.agent.scsi.ReadWriteCommands.WRITE_10;
import static dev.lunar.agent.scsi.ReadWriteCommands.WRITE_12;
import static dev.lunar.agent.scsi.ReadWriteCommands.WRITE_16;
import static dev.lunar.agent.scsi.ReadWriteCommands.WRITE_6;
import static dev.lunar.agent.scsi.StatusCommands.REQUEST_SENSE;
import static dev.lunar.agent.scsi.StatusCommands.TEST_UNIT_READY;
import static dev.lunar.agent.scsi.SyncCacheCommand.SYNCHRONIZE_CACHE_10;
import static dev.lunar.agent.scsi.SyncCacheCommand.SYNCHRONIZE_CACHE_16;

/** The command tables: SPC commands every unit answers, plus the SBC commands of a disk. */
final class DiskCommands {

  private DiskCommands() {}

  /** The primary commands, shared by the controller and the disks. */
  static CommandTable controllerTable(ScsiUnit unit, LunContext context) {
    return new CommandTable()
        .add(new InquiryCommand(unit), ScsiUnit.INQUIRY)
        .add(new ReportLunsCommand(context.lunNumbers()), ScsiUnit.REPORT_LUNS)
        .add(new StatusCommands(unit.attentions()), TEST_UNIT_READY, REQUEST_SENSE);
  }

  static CommandTable table(ScsiUnit unit, LunContext context) {
    Disk disk = unit.disk();
    return controllerTable(unit, context)
        .add(new ReadCapacityCommand(disk, null), READ_CAPACITY_10, SERVICE_ACTION_IN_16)
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
        .add(new ModeSenseCommand(disk), MODE_SENSE_6, MODE_SENSE_10)
        .add(new SyncCacheCommand(disk), SYNCHRONIZE_CACHE_10, SYNCHRONIZE_CACHE_16);
  }
}
