package dev.lunar.agent.scsi;

import java.io.IOException;

/**
 * Executes the commands of one family. Handlers answer with a result or throw: {@link
 * CheckCondition} for an answer with sense, {@link IOException} for a store failure, which the unit
 * maps to MEDIUM or HARDWARE ERROR.
 */
@FunctionalInterface
interface CommandHandler {

  ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition, IOException;
}
