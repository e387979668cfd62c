package dev.lunar.csi.node;

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
import java.nio.file.Path;

/**
 * statvfs(3) through the FFM API: {@link java.nio.file.FileStore} answers a file system's bytes but
 * not its inodes, which NodeGetVolumeStats reports too (kubelet evicts on inode pressure).
 *
 * @param blockSize the fragment size that the counts are in (f_frsize)
 * @param blocks the file system's size in fragments
 * @param free free fragments
 * @param available fragments free to unprivileged users
 * @param files inodes
 * @param freeFiles free inodes
 */
record Statvfs(long blockSize, long blocks, long free, long available, long files, long freeFiles) {

  /** struct statvfs of glibc on 64-bit Linux; every field we read is 8 bytes wide. */
  private static final int FRSIZE = 8;

  private static final int BLOCKS = 16;
  private static final int BFREE = 24;
  private static final int BAVAIL = 32;
  private static final int FILES = 40;
  private static final int FFREE = 48;

  /** sizeof(struct statvfs) is 112; the rest is headroom. */
  private static final long STRUCT_SIZE = 128;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = CAPTURE.varHandle(PathElement.groupElement("errno"));
  private static final MethodHandle STATVFS =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("statvfs").orElseThrow(),
          FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS),
          Linker.Option.captureCallState("errno"));

  static Statvfs of(Path path) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CAPTURE);
      MemorySegment buffer = arena.allocate(STRUCT_SIZE, 8);
      int rc = (int) STATVFS.invokeExact(state, arena.allocateFrom(path.toString()), buffer);
      if (rc != 0) {
        throw new IOException("statvfs " + path + " failed: errno " + (int) ERRNO.get(state, 0L));
      }
      return new Statvfs(
          buffer.get(JAVA_LONG, FRSIZE),
          buffer.get(JAVA_LONG, BLOCKS),
          buffer.get(JAVA_LONG, BFREE),
          buffer.get(JAVA_LONG, BAVAIL),
          buffer.get(JAVA_LONG, FILES),
          buffer.get(JAVA_LONG, FFREE));
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }
}
