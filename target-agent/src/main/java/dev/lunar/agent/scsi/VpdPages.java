package dev.lunar.agent.scsi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Vital product data pages (SPC-4 7.8, SBC-3 6.5). Every page starts with a 4-byte header: byte 0
 * qualifier | device type, byte 1 page code, bytes 2-3 page length (n - 3).
 */
final class VpdPages {

  static final int SUPPORTED_PAGES = 0x00;
  static final int UNIT_SERIAL = 0x80;
  static final int DEVICE_IDENTIFICATION = 0x83;
  static final int BLOCK_LIMITS = 0xB0;
  static final int BLOCK_CHARACTERISTICS = 0xB1;
  static final int LOGICAL_BLOCK_PROVISIONING = 0xB2;

  private static final int[] DISK_PAGES = {
    SUPPORTED_PAGES,
    UNIT_SERIAL,
    DEVICE_IDENTIFICATION,
    BLOCK_LIMITS,
    BLOCK_CHARACTERISTICS,
    LOGICAL_BLOCK_PROVISIONING
  };
  private static final int[] CONTROLLER_PAGES = {
    SUPPORTED_PAGES, UNIT_SERIAL, DEVICE_IDENTIFICATION
  };

  /** Maximum blocks per UNMAP, advertised and enforced; libiscsi deems more than 2^20 insane. */
  static final long MAX_UNMAP_BLOCKS = 1L << 20;

  /**
   * Maximum blocks per WRITE SAME, advertised and enforced. Below 2^16 so that libiscsi does not
   * try to write 2^16 blocks in one WRITE (16) before unmapping them.
   */
  static final long MAX_WRITE_SAME_BLOCKS = 0xFFFF;

  static final int MAX_UNMAP_DESCRIPTORS = 256;

  private VpdPages() {}

  /** The page, or {@code null} when this unit does not have it. */
  static byte[] page(int code, ScsiUnit unit, Nexus nexus) {
    Disk disk = unit.disk();
    int[] pages = disk == null ? CONTROLLER_PAGES : DISK_PAGES;
    byte[] body =
        switch (code) {
          case SUPPORTED_PAGES -> supportedPages(pages);
          case UNIT_SERIAL -> unit.identity().serial().getBytes(StandardCharsets.US_ASCII);
          case DEVICE_IDENTIFICATION -> deviceIdentification(unit.identity(), nexus);
          case BLOCK_LIMITS -> disk == null ? null : blockLimits(disk);
          case BLOCK_CHARACTERISTICS -> disk == null ? null : blockCharacteristics(disk);
          case LOGICAL_BLOCK_PROVISIONING -> disk == null ? null : provisioning(disk);
          default -> null;
        };
    if (body == null) {
      return null;
    }
    byte[] page = new byte[4 + body.length];
    page[0] = (byte) unit.identity().deviceType();
    page[1] = (byte) code;
    Bytes.putU16(page, 2, body.length);
    System.arraycopy(body, 0, page, 4, body.length);
    return page;
  }

  private static byte[] supportedPages(int[] pages) {
    byte[] body = new byte[pages.length];
    for (int i = 0; i < pages.length; i++) {
      body[i] = (byte) pages[i];
    }
    return body;
  }

  /**
   * Designation descriptors (SPC-4 7.8.6.1), each: byte 0 protocol identifier (bits 7-4) | code set
   * (1 binary, 2 ASCII, 3 UTF-8); byte 1 PIV (bit 7) | association (bits 5-4: 0 logical unit, 1
   * target port, 2 target device) | designator type; byte 3 length; then the designator.
   */
  private static byte[] deviceIdentification(UnitIdentity id, Nexus nexus) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] naa = new byte[8];
    Bytes.putU64(naa, 0, id.naa());
    designator(out, 0x01, 0x03, naa);
    designator(out, 0x02, 0x01, id.scsiId().getBytes(StandardCharsets.US_ASCII));
    int iscsi = 0x05 << 4;
    int relativePort = nexus == null ? 1 : nexus.relativeTargetPort();
    byte[] port = new byte[4];
    Bytes.putU16(port, 2, relativePort);
    designator(out, iscsi | 0x01, 0x80 | 0x10 | 0x04, port);
    byte[] group = new byte[4];
    Bytes.putU16(group, 2, 1);
    designator(out, iscsi | 0x01, 0x80 | 0x10 | 0x05, group);
    designator(out, iscsi | 0x03, 0x80 | 0x20 | 0x08, scsiName(id.targetName()));
    return out.toByteArray();
  }

  /** A SCSI name string: UTF-8, null terminated, padded to a multiple of four. */
  private static byte[] scsiName(String name) {
    byte[] text = name.getBytes(StandardCharsets.UTF_8);
    int length = Math.min(252, (text.length + 1 + 3) & ~3);
    byte[] padded = new byte[length];
    System.arraycopy(text, 0, padded, 0, Math.min(text.length, length - 1));
    return padded;
  }

  private static void designator(ByteArrayOutputStream out, int byte0, int byte1, byte[] value) {
    out.write(byte0);
    out.write(byte1);
    out.write(0);
    out.write(value.length);
    out.writeBytes(value);
  }

  /**
   * Block limits (SBC-3 6.5.3), 60-byte body offsets relative to the page start: 5 maximum compare
   * and write length, 6-7 optimal transfer length granularity (the physical block, when larger than
   * the logical one), 8-11 maximum transfer length, 20-23 maximum unmap LBA count, 24-27 maximum
   * unmap block descriptor count, 28-31 optimal unmap granularity, 32-35 UGAVALID | alignment,
   * 36-43 maximum write same length, 44-47 maximum atomic transfer length (SBC-4; alignment,
   * granularity and boundary sizes stay 0: no restriction, no boundaries).
   */
  private static byte[] blockLimits(Disk disk) {
    byte[] page = new byte[64];
    page[5] = CompareAndWriteCommand.MAX_BLOCKS;
    int logicalPerPhysical = 1 << disk.logicalPerPhysicalExponent();
    if (logicalPerPhysical > 1) {
      Bytes.putU16(page, 6, logicalPerPhysical);
    }
    Bytes.putU32(page, 8, disk.maxTransferBlocks());
    if (disk.thin()) {
      Bytes.putU32(page, 20, MAX_UNMAP_BLOCKS);
      Bytes.putU32(page, 24, MAX_UNMAP_DESCRIPTORS);
      Bytes.putU32(page, 28, disk.unmapGranularityBlocks());
      Bytes.putU32(page, 32, 0x80000000L);
    }
    Bytes.putU64(page, 36, MAX_WRITE_SAME_BLOCKS);
    Bytes.putU32(page, 44, WriteAtomicCommand.maxAtomicBlocks(disk));
    return java.util.Arrays.copyOfRange(page, 4, page.length);
  }

  /**
   * Block device characteristics (SBC-4 6.6.2), body offsets: 0-1 rotation rate (1 = non-rotating
   * medium); 3 bits 7-6 WABEREQ, 5-4 WACEREQ (1: reads after BLOCK / CRYPTO ERASE succeed, here
   * with zeros), set on thin units where those sanitize operations exist.
   */
  private static byte[] blockCharacteristics(Disk disk) {
    byte[] body = new byte[60];
    Bytes.putU16(body, 0, 1);
    if (disk.thin()) {
      body[3] = 0x40 | 0x10;
    }
    return body;
  }

  /**
   * Logical block provisioning (SBC-3 6.5.4): byte 5 LBPU (7), LBPWS (6), LBPWS10 (5), LBPRZ (2);
   * byte 6 provisioning type (2 thin, 0 full).
   */
  private static byte[] provisioning(Disk disk) {
    byte[] page = new byte[8];
    if (disk.thin()) {
      page[5] = (byte) (0x80 | 0x40 | 0x20 | 0x04);
      page[6] = 0x02;
    }
    return java.util.Arrays.copyOfRange(page, 4, page.length);
  }
}
