package dev.lunar.agent.node.inventory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Recognises what a device already holds from the magic numbers at the start of it, the way blkid
 * does for the common cases: a device with any of these is in use by something and must not be
 * exported by accident.
 */
public final class Signatures {

  /** Enough to reach the btrfs superblock at 64 KiB. */
  static final int PROBE_BYTES = 68 * 1024;

  private Signatures() {}

  /** The signature on the device or image at {@code path}, or {@code null} when it looks blank. */
  public static String probe(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(PROBE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      while (head.hasRemaining() && channel.read(head) > 0) {
        // read what the device has, up to the probe size
      }
      return recognise(head.flip());
    }
  }

  /** Matches the known magic numbers (offsets per each format's on-disk layout). */
  static String recognise(ByteBuffer b) {
    if (ascii(b, 512, 8).equals("EFI PART")) {
      return "gpt";
    }
    if (ascii(b, 0, 4).equals("XFSB")) {
      return "xfs";
    }
    if (ascii(b, 65600, 8).equals("_BHRfS_M")) {
      return "btrfs";
    }
    if (u16(b, 1080) == 0xEF53) {
      return "ext4"; // ext2/3/4 share the superblock magic
    }
    if (ascii(b, 512, 8).equals("LABELONE") || ascii(b, 24 + 512, 8).equals("LVM2 001")) {
      return "LVM2_member";
    }
    if (u32(b, 4096) == 0xa92b4efcL || u32(b, 0) == 0xa92b4efcL) {
      return "linux_raid_member";
    }
    if (ascii(b, 4086, 10).equals("SWAPSPACE2") || ascii(b, 4086, 10).equals("SWAP-SPACE")) {
      return "swap";
    }
    if (ascii(b, 0x52, 5).equals("FAT32") || ascii(b, 0x36, 5).equals("FAT16")) {
      return "vfat";
    }
    if (ascii(b, 3, 4).equals("NTFS")) {
      return "ntfs";
    }
    if (u16(b, 510) == 0xAA55) {
      return "dos"; // an MBR partition table
    }
    return null;
  }

  private static String ascii(ByteBuffer b, int offset, int length) {
    if (b.limit() < offset + length) {
      return "";
    }
    byte[] bytes = new byte[length];
    b.get(offset, bytes);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static int u16(ByteBuffer b, int offset) {
    return b.limit() < offset + 2 ? -1 : Short.toUnsignedInt(b.getShort(offset));
  }

  private static long u32(ByteBuffer b, int offset) {
    return b.limit() < offset + 4 ? -1 : Integer.toUnsignedLong(b.getInt(offset));
  }
}
