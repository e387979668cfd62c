package dev.lunar.agent.scsi;

import java.io.ByteArrayOutputStream;

/**
 * The mode pages of a disk unit (SPC-4 7.5, SBC-3 6.4), in their current, changeable, default or
 * saved form. WCE of the caching page and D_SENSE and SWP of the control page can change (through
 * MODE SELECT); the pages that hold them are savable, so MODE SENSE sets their PS bit.
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
  static final int SAVED = 3;

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
      case CONTROL -> control(control, disk);
      default -> null;
    };
  }

  private static byte[] header(int code, int length) {
    byte[] page = new byte[length];
    page[0] = (byte) code;
    page[1] = (byte) (length - 2);
    return page;
  }

  /** The values a page control asks for; for CHANGEABLE, every changeable bit reads as set. */
  private static ModeState.Values values(int control, Disk disk) {
    return switch (control) {
      case CHANGEABLE -> new ModeState.Values(true, true, true);
      case DEFAULT -> ModeState.Values.DEFAULT;
      case SAVED -> disk.mode().saved();
      default -> disk.mode().current();
    };
  }

  /** Caching page, 20 bytes: byte 0 bit 7 PS, byte 2 bit 2 WCE (write cache enable), bit 0 RCD. */
  private static byte[] caching(int control, Disk disk) {
    byte[] page = header(CACHING, 20);
    if (control != CHANGEABLE) {
      page[0] |= (byte) 0x80;
    }
    if (values(control, disk).writeCache()) {
      page[2] = 0x04;
    }
    return page;
  }

  /**
   * Control page, 12 bytes: byte 0 bit 7 PS; byte 2 bit 2 D_SENSE (descriptor format sense); byte 3
   * queue algorithm modifier (bits 7-4, 1 = unrestricted reordering); byte 4 bit 3 SWP (software
   * write protect); bytes 8-9 busy timeout period (0xFFFF unlimited).
   */
  private static byte[] control(int control, Disk disk) {
    byte[] page = header(CONTROL, 12);
    ModeState.Values values = values(control, disk);
    if (values.descriptorSense()) {
      page[2] = 0x04;
    }
    if (values.softwareWriteProtect()) {
      page[4] = 0x08;
    }
    if (control != CHANGEABLE) {
      page[0] |= (byte) 0x80;
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
