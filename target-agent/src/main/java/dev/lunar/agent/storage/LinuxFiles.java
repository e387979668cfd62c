package dev.lunar.agent.storage;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The few Linux file calls that {@link java.nio.channels.FileChannel} does not offer, through the
 * FFM API: a raw descriptor, {@code fallocate} (hole punching), {@code lseek} with SEEK_DATA /
 * SEEK_HOLE (extent maps) and the BLKGETSIZE64 ioctl (block device size).
 */
public final class LinuxFiles {

  static final int O_RDONLY = 0;
  static final int O_RDWR = 2;
  private static final int O_CLOEXEC = 0x80000;
  static final int FALLOC_FL_KEEP_SIZE = 0x01;
  static final int FALLOC_FL_PUNCH_HOLE = 0x02;
  static final int FALLOC_FL_ZERO_RANGE = 0x10;
  static final int SEEK_DATA = 3;
  static final int SEEK_HOLE = 4;

  /** lseek's answer when no data or hole follows the offset. */
  static final int ENXIO = 6;

  /** _IOR(0x12, 114, size_t): the size of a block device in bytes. */
  private static final long BLKGETSIZE64 = 0x80081272L;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = CAPTURE.varHandle(PathElement.groupElement("errno"));
  private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

  private static final MethodHandle OPEN =
      downcall(
          "open",
          FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
          Linker.Option.firstVariadicArg(2));
  private static final MethodHandle CLOSE =
      downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle FALLOCATE =
      downcall(
          "fallocate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
  private static final MethodHandle LSEEK =
      downcall("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
  private static final MethodHandle IOCTL =
      downcall(
          "ioctl",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
          Linker.Option.firstVariadicArg(2));

  private LinuxFiles() {}

  private static MethodHandle downcall(
      String name, FunctionDescriptor descriptor, Linker.Option... extra) {
    Linker.Option[] options = new Linker.Option[extra.length + 1];
    options[0] = ERRNO_OPTION;
    System.arraycopy(extra, 0, options, 1, extra.length);
    MemorySegment symbol =
        LINKER
            .defaultLookup()
            .find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    return LINKER.downcallHandle(symbol, descriptor, options);
  }

  /** A thrown errno, so callers can tell ENXIO and EOPNOTSUPP apart from real failures. */
  static final class ErrnoException extends IOException {
    final int errno;

    ErrnoException(String call, int errno) {
      super(call + " failed: errno " + errno);
      this.errno = errno;
    }
  }

  static int open(String path, int flags) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CAPTURE);
      int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags | O_CLOEXEC, 0);
      return check("open " + path, fd, state);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  static void close(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      int unused = (int) CLOSE.invokeExact(arena.allocate(CAPTURE), fd);
    } catch (Throwable t) {
      // Nothing useful to do when close fails on a descriptor we are abandoning.
    }
  }

  static void fallocate(int fd, int mode, long offset, long length) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CAPTURE);
      int rc = (int) FALLOCATE.invokeExact(state, fd, mode, offset, length);
      check("fallocate", rc, state);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  /** lseek; returns -1 when the kernel answers ENXIO (no more data, or no more holes). */
  static long lseek(int fd, long offset, int whence) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CAPTURE);
      long rc = (long) LSEEK.invokeExact(state, fd, offset, whence);
      if (rc < 0) {
        int errno = (int) ERRNO.get(state, 0L);
        if (errno == ENXIO) {
          return -1;
        }
        throw new ErrnoException("lseek", errno);
      }
      return rc;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  static long blockDeviceSize(int fd) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CAPTURE);
      MemorySegment size = arena.allocate(JAVA_LONG);
      int rc = (int) IOCTL.invokeExact(state, fd, BLKGETSIZE64, size);
      check("ioctl BLKGETSIZE64", rc, state);
      return size.get(JAVA_LONG, 0);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  /**
   * Allocates every block of {@code file} from 0 to {@code length} (fallocate mode 0, which also
   * extends the file), so that writing the file later never fails for want of space. Public for the
   * node agent's thick pool volumes; ENOSPC shows as "errno 28" in the message.
   */
  public static void allocate(Path file, long length) throws IOException {
    int fd = open(file.toString(), O_RDWR);
    try {
      fallocate(fd, 0, 0, length);
    } finally {
      close(fd);
    }
  }

  /**
   * Makes {@code length} bytes of a file or block device from {@code offset} read as zeros,
   * durably: the kernel's zero-out (fallocate ZERO_RANGE, which for a block device is BLKZEROOUT:
   * an offloaded WRITE ZEROES where the device has one, written zero pages where not), else zeros
   * written from here, for a file system or kernel without it. A block device wants both figures in
   * whole logical blocks.
   */
  public static void zeroOut(Path file, long offset, long length) throws IOException {
    int fd = open(file.toString(), O_RDWR);
    try {
      fallocate(fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, offset, length);
    } catch (ErrnoException e) {
      writeZeros(file, offset, length);
    } finally {
      close(fd);
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static void writeZeros(Path file, long offset, long length) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      long position = offset;
      long end = offset + length;
      while (position < end) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), end - position));
        while (zeros.hasRemaining()) {
          position += channel.write(zeros, position);
        }
      }
    }
  }

  private static int check(String call, int rc, MemorySegment state) throws IOException {
    if (rc < 0) {
      throw new ErrnoException(call, (int) ERRNO.get(state, 0L));
    }
    return rc;
  }
}
