package dev.lunar.agent.scsi;

/**
 * INQUIRY (0x12, SPC-4 6.6): standard data when EVPD is clear, a vital product data page when set.
 * CDB: byte 1 bit 0 EVPD, bit 1 obsolete CMDDT; byte 2 page code; bytes 3-4 allocation length.
 */
final class InquiryCommand implements CommandHandler {

  /** Version descriptors (SPC-4 table 144): SAM-5, iSCSI, SPC-4, SBC-3. */
  private static final int[] DISK_VERSIONS = {0x00A0, 0x0960, 0x0460, 0x04C0};

  private static final int[] CONTROLLER_VERSIONS = {0x00A0, 0x0960, 0x0460};

  private final ScsiUnit unit;

  InquiryCommand(ScsiUnit unit) {
    this.unit = unit;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition {
    cdb.require(6);
    if (cdb.bit(1, 1)) {
      throw CheckCondition.invalidCdbBit(1, 1);
    }
    int page = cdb.u8(2);
    int allocation = cdb.u16(3);
    if (!cdb.bit(1, 0)) {
      if (page != 0) {
        throw CheckCondition.invalidCdbField(2);
      }
      return Responses.data(standard(), allocation);
    }
    byte[] data = VpdPages.page(page, unit, request.nexus());
    if (data == null) {
      throw CheckCondition.invalidCdbField(2);
    }
    return Responses.data(data, allocation);
  }

  /**
   * Standard INQUIRY data, 74 bytes (SPC-4 6.6.2):
   *
   * <pre>
   *  0     peripheral qualifier (0) | device type
   *  1     bit 7 RMB
   *  2     VERSION 0x06 (SPC-4)
   *  3     bit 4 HISUP, bits 3-0 response data format 2
   *  4     additional length (n - 4)
   *  7     bit 1 CMDQUE
   *  8-15  vendor, 16-31 product, 32-35 revision (ASCII, space padded)
   *  58-73 version descriptors, two bytes each
   * </pre>
   */
  byte[] standard() {
    UnitIdentity id = unit.identity();
    byte[] data = new byte[74];
    data[0] = (byte) id.deviceType();
    data[1] = (byte) (id.removable() ? 0x80 : 0);
    data[2] = 0x06;
    data[3] = 0x12;
    data[4] = (byte) (data.length - 5);
    data[7] = 0x02;
    Bytes.putAscii(data, 8, 8, UnitIdentity.VENDOR_ID);
    Bytes.putAscii(data, 16, 16, id.productId());
    Bytes.putAscii(data, 32, 4, UnitIdentity.REVISION);
    int[] versions =
        id.deviceType() == UnitIdentity.TYPE_DISK ? DISK_VERSIONS : CONTROLLER_VERSIONS;
    for (int i = 0; i < versions.length; i++) {
      Bytes.putU16(data, 58 + 2 * i, versions[i]);
    }
    return data;
  }
}
