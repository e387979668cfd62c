package dev.lunar.agent.storage;

import io.netty.buffer.ByteBuf;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * tgt's {@code rdwr} store: a regular file or a block device, through a {@link FileChannel} for
 * data and a raw descriptor (FFM) for what the channel cannot do. A block device's size comes from
 * the BLKGETSIZE64 ioctl, since {@code FileChannel.size()} answers 0 for devices on some JDKs.
 *
 * <p>A regular file's raw descriptor is opened on first use (punching holes, zeroing, extents):
 * linking the first FFM call loads about 500 classes (the linker and the class-file API that
 * generates its stubs), a few MiB of every daemon's memory, while reads and writes, all most LUNs
 * ever see, need only the channel. The late descriptor must name the file the channel has open: it
 * is checked against the file's identity taken when the store was opened, so a path replaced in
 * between fails the command instead of changing another file.
 */
public final class FileBackingStore implements BackingStore {

  private final Path path;
  private final boolean readOnly;
  private final boolean blockDevice;
  private final FileChannel channel;

  /** The file's identity (device and inode) when the channel was opened. */
  private final Object fileKey;

  /** Guards {@link #fd} and {@link #descriptorClosed}. */
  private final Object descriptorLock = new Object();

  /** The raw descriptor; -1 until a regular file first needs one. */
  private int fd;

  private boolean descriptorClosed;
  private volatile long size;

  /**
   * References that keep the descriptors open: the store's own, dropped by {@link #close}, and one
   * per {@link FileSpan} and file region not yet released.
   */
  private final AtomicInteger pins = new AtomicInteger(1);

  private final AtomicBoolean closed = new AtomicBoolean();

  private FileBackingStore(
      Path path,
      boolean readOnly,
      boolean blockDevice,
      FileChannel channel,
      Object fileKey,
      int fd,
      long size) {
    this.path = path;
    this.readOnly = readOnly;
    this.blockDevice = blockDevice;
    this.channel = channel;
    this.fileKey = fileKey;
    this.fd = fd;
    this.size = size;
  }

  /**
   * Opens a file or block device.
   *
   * @throws IOException with a message naming the path when it is missing, not a file or device, or
   *     cannot be opened with the access asked for
   */
  public static FileBackingStore open(Path path, boolean readOnly) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new IOException("backing store " + path + " does not exist", e);
    }
    boolean device = attrs.isOther();
    if (!attrs.isRegularFile() && !device) {
      throw new IOException(
          "backing store " + path + " is neither a regular file nor a block device");
    }
    FileChannel channel;
    try {
      channel =
          readOnly
              ? FileChannel.open(path, StandardOpenOption.READ)
              : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new IOException("cannot open backing store " + path + ": " + e.getMessage(), e);
    }
    int fd = -1;
    try {
      Object fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      if (device) {
        fd = LinuxFiles.open(path.toString(), readOnly ? LinuxFiles.O_RDONLY : LinuxFiles.O_RDWR);
      }
      long size = device ? LinuxFiles.blockDeviceSize(fd) : channel.size();
      return new FileBackingStore(path, readOnly, device, channel, fileKey, fd, size);
    } catch (IOException | RuntimeException e) {
      channel.close();
      if (fd >= 0) {
        LinuxFiles.close(fd);
      }
      throw new IOException("cannot open backing store " + path + ": " + e.getMessage(), e);
    }
  }

  public Path path() {
    return path;
  }

  public boolean blockDevice() {
    return blockDevice;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public long refreshSize() throws IOException {
    size = blockDevice ? LinuxFiles.blockDeviceSize(descriptor()) : channel.size();
    return size;
  }

  @Override
  public boolean readOnly() {
    return readOnly;
  }

  @Override
  public void read(long offset, ByteBuf dst, int length) throws IOException {
    checkOpen();
    StoreIo.checkRange(offset, length);
    dst.ensureWritable(length);
    int done = 0;
    while (done < length) {
      int n = dst.writeBytes(channel, offset + done, length - done);
      if (n < 0) {
        // A file shrunk under us: what is gone reads as zeros rather than failing the command.
        dst.writeZero(length - done);
        return;
      }
      done += n;
    }
  }

  /**
   * The range as a {@link FileSpan}, to be sent from the file itself; null when the file no longer
   * holds all of it (it shrank: {@link #read} then supplies zeros) or the store is closed.
   */
  @Override
  public FileSpan span(long offset, int length) throws IOException {
    StoreIo.checkRange(offset, length);
    long end = offset + length;
    if (closed.get() || end > size || !blockDevice && end > channel.size()) {
      return null;
    }
    return pin() ? new FileSpan(this, offset, length) : null;
  }

  FileChannel channel() {
    return channel;
  }

  /** A closed store fails as its channel did, though queued regions may keep that open. */
  private void checkOpen() throws ClosedChannelException {
    if (closed.get()) {
      throw new ClosedChannelException();
    }
  }

  /** Keeps the descriptors open; false once they are closed. */
  boolean pin() {
    while (true) {
      int now = pins.get();
      if (now == 0) {
        return false;
      }
      if (pins.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Drops one reference; the last closes the descriptors. */
  void unpin() {
    if (pins.decrementAndGet() == 0) {
      closeDescriptors();
    }
  }

  @Override
  public void write(long offset, ByteBuf src) throws IOException {
    if (readOnly) {
      throw new StoreReadOnlyException(path.toString());
    }
    checkOpen();
    int length = src.readableBytes();
    StoreIo.checkRange(offset, length);
    int index = src.readerIndex();
    int done = 0;
    while (done < length) {
      int n = src.getBytes(index + done, channel, offset + done, length - done);
      if (n <= 0) {
        throw new EOFException("short write to " + path + " at " + (offset + done));
      }
      done += n;
    }
  }

  @Override
  public void flush() throws IOException {
    if (!readOnly) {
      channel.force(false);
    }
  }

  /** Holes are punched in regular files only; devices get zeros written. */
  @Override
  public boolean canPunchHoles() {
    return !blockDevice && !readOnly;
  }

  @Override
  public void punchHole(long offset, long length) throws IOException {
    if (readOnly) {
      throw new StoreReadOnlyException(path.toString());
    }
    StoreIo.checkRange(offset, length);
    if (length == 0) {
      return;
    }
    if (blockDevice) {
      writeZeros(offset, length);
      return;
    }
    LinuxFiles.fallocate(
        descriptor(),
        LinuxFiles.FALLOC_FL_PUNCH_HOLE | LinuxFiles.FALLOC_FL_KEEP_SIZE,
        offset,
        length);
  }

  @Override
  public void writeZeros(long offset, long length) throws IOException {
    if (readOnly) {
      throw new StoreReadOnlyException(path.toString());
    }
    StoreIo.checkRange(offset, length);
    if (length == 0) {
      return;
    }
    try {
      LinuxFiles.fallocate(
          descriptor(),
          LinuxFiles.FALLOC_FL_ZERO_RANGE | LinuxFiles.FALLOC_FL_KEEP_SIZE,
          offset,
          length);
    } catch (LinuxFiles.ErrnoException e) {
      // Not every filesystem (nor device) knows ZERO_RANGE: fall back to writing zeros.
      StoreIo.writeZerosByChunks(this, offset, length);
    }
  }

  /** Walks SEEK_DATA / SEEK_HOLE over the range; devices are reported fully allocated. */
  @Override
  public List<Extent> extents(long offset, long length) throws IOException {
    StoreIo.checkRange(offset, length);
    long end = offset + length;
    if (blockDevice) {
      return List.of(new Extent(offset, length, true));
    }
    int fd = descriptor();
    List<Extent> result = new ArrayList<>();
    long pos = offset;
    while (pos < end) {
      long data = LinuxFiles.lseek(fd, pos, LinuxFiles.SEEK_DATA);
      if (data < 0 || data >= end) {
        result.add(new Extent(pos, end - pos, false));
        break;
      }
      if (data > pos) {
        result.add(new Extent(pos, data - pos, false));
      }
      long hole = LinuxFiles.lseek(fd, data, LinuxFiles.SEEK_HOLE);
      long dataEnd = hole < 0 ? end : Math.min(hole, end);
      result.add(new Extent(data, dataEnd - data, true));
      pos = dataEnd;
    }
    return result;
  }

  /**
   * Closes the store: its descriptors close now, or when the last span or file region still queued
   * for a socket is released.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      unpin();
    }
  }

  /**
   * The raw descriptor, opened on a regular file's first need of one and checked to be the file the
   * channel has open.
   *
   * @throws ClosedChannelException once the store's descriptors are closed
   * @throws IOException when the path no longer names the file the store opened
   */
  private int descriptor() throws IOException {
    synchronized (descriptorLock) {
      if (descriptorClosed) {
        throw new ClosedChannelException();
      }
      if (fd < 0) {
        int opened =
            LinuxFiles.open(path.toString(), readOnly ? LinuxFiles.O_RDONLY : LinuxFiles.O_RDWR);
        Object openedKey;
        try {
          // /proc/self/fd/N resolves to the open file itself, even one renamed or deleted since.
          openedKey =
              Files.readAttributes(Path.of("/proc/self/fd/" + opened), BasicFileAttributes.class)
                  .fileKey();
        } catch (IOException | RuntimeException e) {
          LinuxFiles.close(opened);
          throw e;
        }
        if (fileKey == null || !fileKey.equals(openedKey)) {
          LinuxFiles.close(opened);
          throw new IOException(
              "backing store " + path + " is no longer the file that was opened as it");
        }
        fd = opened;
      }
      return fd;
    }
  }

  private void closeDescriptors() {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing to do about a failed close of a descriptor we are abandoning.
    } finally {
      synchronized (descriptorLock) {
        descriptorClosed = true;
        if (fd >= 0) {
          LinuxFiles.close(fd);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "FileBackingStore[" + path + (readOnly ? ", ro" : "") + "]";
  }
}
