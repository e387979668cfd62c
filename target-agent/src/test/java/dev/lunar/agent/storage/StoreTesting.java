package dev.lunar.agent.storage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/** Helpers for tests of stores and of units over them. */
public final class StoreTesting {

  private StoreTesting() {}

  /** Reads a byte range of a store into a new array. */
  public static byte[] read(BackingStore store, long offset, int length) throws IOException {
    ByteBuf buf = Unpooled.buffer(length);
    store.read(offset, buf, length);
    return ByteBufUtil.getBytes(buf);
  }

  /** Creates a sparse file of the given size. */
  public static Path sparseFile(Path file, long size) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
    }
    return file;
  }

  /** 512-byte blocks a file occupies on disk, as stat reports them. */
  public static long allocatedBlocks(Path file) throws IOException, InterruptedException {
    Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).start();
    String out = new String(stat.getInputStream().readAllBytes()).trim();
    if (stat.waitFor() != 0) {
      throw new IOException("stat failed on " + file);
    }
    return Long.parseLong(out);
  }
}
