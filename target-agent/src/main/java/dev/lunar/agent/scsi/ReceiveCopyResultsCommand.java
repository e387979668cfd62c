package dev.lunar.agent.scsi;

/**
 * RECEIVE COPY RESULTS (0x84, SPC-4 6.18): service action (byte 1 bits 4-0) 0 COPY STATUS of a held
 * list identifier (byte 2), 3 OPERATING PARAMETERS of the copy manager; bytes 10-13 allocation
 * length.
 */
final class ReceiveCopyResultsCommand implements CommandHandler {

  static final int SA_COPY_STATUS = 0x00;
  static final int SA_OPERATING_PARAMETERS = 0x03;

  private final CopyResults results;

  ReceiveCopyResultsCommand(CopyResults results) {
    this.results = results;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition {
    cdb.require(16);
    long allocation = cdb.u32(10);
    return switch (cdb.serviceAction()) {
      case SA_COPY_STATUS -> Responses.data(copyStatus(request.nexus(), cdb.u8(2)), allocation);
      case SA_OPERATING_PARAMETERS -> Responses.data(operatingParameters(), allocation);
      default -> throw CheckCondition.invalidCdbField(1);
    };
  }

  /**
   * COPY STATUS data (SPC-4 6.18.2), 12 bytes: 0-3 available data (8), 4 HDD bit 7 | copy manager
   * status (1 completed good, 2 completed with error), 5-6 segments processed, 7 transfer count
   * units (0 bytes... 1 KiB), 8-11 transfer count.
   */
  private byte[] copyStatus(Nexus nexus, int listId) throws CheckCondition {
    CopyResults.Outcome outcome = results.find(nexus, listId);
    if (outcome == null) {
      throw CheckCondition.invalidCdbField(2);
    }
    byte[] data = new byte[12];
    Bytes.putU32(data, 0, 8);
    data[4] = (byte) (outcome.good() ? 0x01 : 0x02);
    Bytes.putU16(data, 5, Math.min(outcome.segmentsProcessed(), 0xFFFF));
    data[7] = 0x01; // kibibytes: a whole LUN fits in 32 bits
    Bytes.putU32(data, 8, Math.min(outcome.bytesTransferred() >>> 10, 0xFFFFFFFFL));
    return data;
  }

  /**
   * OPERATING PARAMETERS data (SPC-4 6.18.4): 8-9 maximum CSCD descriptor count, 10-11 maximum
   * segment descriptor count, 12-15 maximum descriptor list length, 16-19 maximum segment length,
   * 20-23 maximum inline data length, 36 maximum concurrent copies, 37-39 granularities (log2), 43
   * implemented descriptor list length, then the implemented descriptor type codes.
   */
  private static byte[] operatingParameters() {
    int[] implemented = {
      ExtendedCopyCommand.BLOCK_TO_BLOCK, ExtendedCopyCommand.IDENTIFICATION_CSCD
    };
    byte[] data = new byte[44 + implemented.length];
    Bytes.putU32(data, 0, data.length - 4);
    data[4] = 0x01; // SNLID: list identifiers are per initiator port
    Bytes.putU16(data, 8, ExtendedCopyCommand.MAX_CSCD_DESCRIPTORS);
    Bytes.putU16(data, 10, ExtendedCopyCommand.MAX_SEGMENT_DESCRIPTORS);
    Bytes.putU32(data, 12, ExtendedCopyCommand.MAX_DESCRIPTOR_LIST_BYTES);
    Bytes.putU32(data, 16, 0xFFFFL * 512);
    Bytes.putU16(data, 34, 1);
    data[36] = 1;
    data[43] = (byte) implemented.length;
    for (int i = 0; i < implemented.length; i++) {
      data[44 + i] = (byte) implemented[i];
    }
    return data;
  }
}
