package dev.lunar.agent.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * EXTENDED COPY (LID1) (0x83, service action 0, SPC-4 6.4): block-to-block copies between disks the
 * copy manager can name by their NAA designator, this unit and the other LUNs of its target. CDB
 * bytes 10-13 parameter list length. Parameter list (SPC-4 6.4.3):
 *
 * <pre>
 *  0      list identifier
 *  1      bit 5 STR, bits 4-3 list ID usage (0 or 1 hold the results), bits 2-0 priority
 *  2-3    CSCD descriptor list length
 *  8-11   segment descriptor list length
 *  12-15  inline data length
 *  16..   CSCD descriptors (32 bytes each), then segment descriptors
 * </pre>
 *
 * Only identification CSCD descriptors (0xE4) and block-to-block segments (0x02) are implemented.
 */
final class ExtendedCopyCommand implements CommandHandler {

  static final int MAX_CSCD_DESCRIPTORS = 8;
  static final int MAX_SEGMENT_DESCRIPTORS = 64;
  static final int MAX_DESCRIPTOR_LIST_BYTES =
      MAX_CSCD_DESCRIPTORS * 32 + MAX_SEGMENT_DESCRIPTORS * 28;
  static final int IDENTIFICATION_CSCD = 0xE4;
  static final int BLOCK_TO_BLOCK = 0x02;

  private static final int HEADER = 16;
  private static final int CSCD_LENGTH = 32;
  private static final int CHUNK_BYTES = 1 << 20;

  private final LongFunction<Disk> disksByNaa;
  private final CopyResults results;

  /**
   * @param disksByNaa the disk an NAA designator names, or {@code null} when the copy manager
   *     cannot reach it
   */
  ExtendedCopyCommand(LongFunction<Disk> disksByNaa, CopyResults results) {
    this.disksByNaa = disksByNaa;
    this.results = results;
  }

  private record Segment(int source, int destination, long blocks, long sourceLba, long destLba) {}

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition, IOException {
    cdb.require(16);
    if (cdb.serviceAction() != 0) {
      throw CheckCondition.invalidCdbField(1);
    }
    long listLength = cdb.u32(10);
    ByteBuf list = request.dataOut();
    int available = list == null ? 0 : list.readableBytes();
    if (listLength == 0) {
      return Responses.good();
    }
    if (available < Math.min(listLength, HEADER)) {
      throw CheckCondition.of(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
    }
    int base = list.readerIndex();
    int listId = list.getUnsignedByte(base);
    int usage = list.getUnsignedByte(base + 1) >>> 3 & 0x3;
    int cscdBytes = list.getUnsignedShort(base + 2);
    long segmentBytes = list.getUnsignedInt(base + 8);
    long inlineBytes = list.getUnsignedInt(base + 12);
    if (HEADER + cscdBytes + segmentBytes + inlineBytes > Math.min(listLength, available)) {
      throw CheckCondition.of(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
    }
    if (cscdBytes + segmentBytes > MAX_DESCRIPTOR_LIST_BYTES) {
      throw CheckCondition.of(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
    }
    if (inlineBytes != 0) {
      throw CheckCondition.invalidParameter(12);
    }
    List<Disk> disks = parseCscds(list, base + HEADER, cscdBytes);
    List<Segment> segments = parseSegments(list, base + HEADER + cscdBytes, (int) segmentBytes);
    boolean hold = usage == 0 || usage == 1;
    int done = 0;
    long bytes = 0;
    try {
      for (Segment segment : segments) {
        bytes += copy(segment, disks);
        done++;
      }
    } catch (CheckCondition | IOException e) {
      if (hold) {
        results.hold(request.nexus(), listId, new CopyResults.Outcome(false, done, bytes));
      }
      throw e;
    }
    if (hold) {
      results.hold(request.nexus(), listId, new CopyResults.Outcome(true, done, bytes));
    }
    return Responses.goodAfterDataOut((int) Math.min(listLength, Integer.MAX_VALUE));
  }

  /**
   * CSCD descriptor 0xE4 (SPC-4 6.4.5.1, 6.4.5.7): byte 1 bits 4-0 peripheral device type; bytes
   * 4-23 a designation descriptor (byte 5 bits 3-0 designator type, byte 7 length, then the
   * designator); bytes 29-31 the disk block length. A disk that cannot be found stays {@code null}
   * and fails the segment that uses it.
   */
  private List<Disk> parseCscds(ByteBuf list, int start, int length) throws CheckCondition {
    if (length % CSCD_LENGTH != 0) {
      throw CheckCondition.of(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
    }
    int count = length / CSCD_LENGTH;
    if (count > MAX_CSCD_DESCRIPTORS) {
      throw CheckCondition.of(SenseCode.TOO_MANY_TARGET_DESCRIPTORS);
    }
    List<Disk> disks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int at = start + i * CSCD_LENGTH;
      int type = list.getUnsignedByte(at);
      if (type != IDENTIFICATION_CSCD) {
        throw CheckCondition.of(SenseCode.UNSUPPORTED_TARGET_DESCRIPTOR_TYPE_CODE);
      }
      if ((list.getUnsignedByte(at + 1) & 0x1F) != UnitIdentity.TYPE_DISK) {
        throw CheckCondition.invalidParameter(at - list.readerIndex() + 1);
      }
      int designatorType = list.getUnsignedByte(at + 5) & 0x0F;
      int designatorLength = list.getUnsignedByte(at + 7);
      Disk disk = null;
      if (designatorType == 0x03 && designatorLength == 8) {
        disk = disksByNaa.apply(list.getLong(at + 8));
      }
      int blockLength = list.getUnsignedMedium(at + 29);
      if (disk != null && blockLength != 0 && blockLength != disk.blockSize()) {
        throw CheckCondition.invalidParameter(at - list.readerIndex() + 29);
      }
      disks.add(disk);
    }
    return disks;
  }

  /**
   * Block-to-block segment descriptor (SPC-4 6.4.6.5), 28 bytes: byte 0 type 0x02, byte 1 bit 1 DC,
   * bytes 2-3 descriptor length (0x18), 4-5 source CSCD index, 6-7 destination CSCD index, 10-11
   * number of blocks, 12-19 source LBA, 20-27 destination LBA.
   */
  private List<Segment> parseSegments(ByteBuf list, int start, int length) throws CheckCondition {
    List<Segment> segments = new ArrayList<>();
    int at = start;
    int end = start + length;
    while (at < end) {
      if (end - at < 4) {
        throw CheckCondition.of(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
      }
      int type = list.getUnsignedByte(at);
      int descriptorLength = 4 + list.getUnsignedShort(at + 2);
      if (type != BLOCK_TO_BLOCK) {
        throw CheckCondition.of(SenseCode.UNSUPPORTED_SEGMENT_DESCRIPTOR_TYPE_CODE);
      }
      if (descriptorLength != 28 || end - at < descriptorLength) {
        throw CheckCondition.of(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
      }
      if (segments.size() == MAX_SEGMENT_DESCRIPTORS) {
        throw CheckCondition.of(SenseCode.TOO_MANY_SEGMENT_DESCRIPTORS);
      }
      segments.add(
          new Segment(
              list.getUnsignedShort(at + 4),
              list.getUnsignedShort(at + 6),
              list.getUnsignedShort(at + 10),
              list.getLong(at + 12),
              list.getLong(at + 20)));
      at += descriptorLength;
    }
    return segments;
  }

  /** Runs one segment; returns the bytes copied. */
  private long copy(Segment segment, List<Disk> disks) throws CheckCondition, IOException {
    Disk source = reachable(segment.source(), disks);
    Disk destination = reachable(segment.destination(), disks);
    long blocks = segment.blocks();
    if (!fits(source, segment.sourceLba(), blocks)
        || !fits(destination, segment.destLba(), blocks)) {
      throw CheckCondition.of(SenseCode.COPY_ABORTED);
    }
    destination.checkWritable();
    long length = blocks * source.blockSize();
    long from = source.offset(segment.sourceLba());
    long to = destination.offset(segment.destLba());
    // Copying forward within one disk would read bytes it has already overwritten.
    boolean backwards = source == destination && to > from && to < from + length;
    ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer((int) Math.min(length, CHUNK_BYTES));
    try {
      destination.locked(
          segment.destLba(),
          blocks,
          () -> {
            long done = 0;
            while (done < length) {
              int n = (int) Math.min(CHUNK_BYTES, length - done);
              long at = backwards ? length - done - n : done;
              buffer.clear();
              source.store().read(from + at, buffer, n);
              destination.store().write(to + at, buffer);
              done += n;
            }
          });
    } finally {
      buffer.release();
    }
    if (!destination.writeCacheEnabled()) {
      destination.store().flush();
    }
    return length;
  }

  private static Disk reachable(int index, List<Disk> disks) throws CheckCondition {
    Disk disk = index < disks.size() ? disks.get(index) : null;
    if (disk == null) {
      throw CheckCondition.of(SenseCode.COPY_TARGET_NOT_REACHABLE);
    }
    return disk;
  }

  private static boolean fits(Disk disk, long lba, long blocks) {
    return lba >= 0 && lba <= disk.blocks() && blocks <= disk.blocks() - lba;
  }
}
