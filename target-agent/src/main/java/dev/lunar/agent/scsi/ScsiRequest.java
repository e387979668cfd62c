package dev.lunar.agent.scsi;

import io.netty.buffer.ByteBuf;

/**
 * One SCSI command as the transport hands it to a logical unit, with all of its Data-Out already
 * received.
 *
 * @param nexus who sent it
 * @param cdb the command descriptor block (6 to 260 bytes)
 * @param dataOut the write payload, or {@code null} when the command carries none; the caller keeps
 *     ownership and releases it after {@link LogicalUnit#execute} returns
 * @param expectedDataInLength the initiator's buffer size for Data-In (EDTL for reads), 0 if none
 * @param taskAttribute SAM task attribute: 0 untagged, 1 simple, 2 ordered, 3 head of queue, 4 ACA
 * @param taskTag the initiator task tag, for logging and task management
 * @param fileDataIn whether the transport takes read data as a {@link
 *     dev.lunar.agent.storage.FileSpan} ({@link ScsiResult#dataInSpan}) to send from the file
 */
public record ScsiRequest(
    Nexus nexus,
    byte[] cdb,
    ByteBuf dataOut,
    int expectedDataInLength,
    int taskAttribute,
    long taskTag,
    boolean fileDataIn) {

  /** A request whose read data comes back in a buffer. */
  public ScsiRequest(
      Nexus nexus,
      byte[] cdb,
      ByteBuf dataOut,
      int expectedDataInLength,
      int taskAttribute,
      long taskTag) {
    this(nexus, cdb, dataOut, expectedDataInLength, taskAttribute, taskTag, false);
  }

  /** The operation code, byte 0 of the CDB. */
  public int opcode() {
    return cdb[0] & 0xff;
  }
}
