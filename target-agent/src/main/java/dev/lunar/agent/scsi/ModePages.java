package dev.lunar.agent.scsi;

import java.io.ByteArrayOutputStream;

/**
 * The mode pages of a disk unit (SPC-4 7.5, SBC-3 6.4), in their current, changeable or default
 * form. Only WCE of the caching page can change (through MODE SELECT).
 */
final class ModePages {

  static final int READ_WRITE_ERROR_RECOVERY = 0x01;
  static final int CACHING = 0x08;
  static final int CONTROL = 0x0A;
  static final int ALL_PAGES = 0x3F;

  /** Page control values of MODE SENSE byte 2 bits 7-6. */
  static final int CURRENT = 0;

  static final int CHANGEABLE = 1;
  static final int DEFAULT = 2;

  private static final int[] ORDER = {READ_WRITE_ERROR_RECOVERY, CACHING, CONTROL};

  private ModePages() {}

  /** One page, or {@code null} when unknown; {@link #ALL_PAGES} gives them all in order. */
  static byte[] pages(int code, int control, Disk disk) {
    if (code != ALL_PAGES) {
      return page(code, control, disk);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int page : ORDER) {
      out.writeBytes(page(page, control, disk));
    }
    return out.toByteArray();
  }

  private static byte[] page(int code, int control, Disk disk) {
    return switch (code) {
      case READ_WRITE_ERROR_RECOVERY -> header(code, 12);
      case CACHING -> caching(control, disk);
      case CONTROL -> control(control);
      default -> null;
    };
  }

  private static byte[] header(int code, int length) {
    byte[] page = new byte[length];
    page[0] = (byte) code;
    page[1] = (byte) (length - 2);
    return page;
  }

  /** Caching page, 20 bytes: byte 2 bit 2 WCE (write cache enable), bit 0 RCD. */
  private static byte[] caching(int control, Disk disk) {
    byte[] page = header(CACHING, 20);
    boolean wce =
        switch (control) {
          case CHANGEABLE, DEFAULT -> true;
          default -> disk.writeCacheEnabled();
        };
    if (wce) {
      page[2] = 0x04;
    }
    return page;
  }

  /**
   * Control page, 12 bytes: byte 3 queue algorithm modifier (bits 7-4, 1 = unrestricted
   * reordering), bytes 8-9 busy timeout period (0xFFFF unlimited).
   */
  private static byte[] control(int control) {
    byte[] page = header(CONTROL, 12);
    if (control != CHANGEABLE) {
      page[3] = 0x10;
      Bytes.putU16(page, 8, 0xFFFF);
    }
    return page;
  }

  static boolean known(int code) {
    return code == ALL_PAGES
        || code == READ_WRITE_ERROR_RECOVERY
        || code == CACHING
        || code == CONTROL;
  }
}
