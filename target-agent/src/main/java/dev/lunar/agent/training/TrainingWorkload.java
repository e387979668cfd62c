package dev.lunar.agent.training;

import dev.lunar.agent.training.TrainingInitiator.Pdu;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * What a training run asks of the target, in the shapes real initiators use (bench/run.sh's
 * workloads: 4 KiB at queue depth 32, 64 KiB and 1 MiB at depth 8), on one LUN of 512-byte blocks.
 * Every block written holds a pattern made from its address and every read is checked against it,
 * so a run that completes also shows that the target returned what it was given.
 */
final class TrainingWorkload {

  static final int BLOCK = 512;
  private static final int STATUS_GOOD = 0;

  private final TrainingInitiator initiator;
  private final int lun;
  private final long blocks;
  private final Map<Integer, Io> inFlight = new HashMap<>();
  private long commands;
  private long bytes;

  TrainingWorkload(TrainingInitiator initiator, int lun, long blocks) {
    this.initiator = initiator;
    this.lun = lun;
    this.blocks = blocks;
  }

  /** One pass of every shape: about {@code scale} × 10,000 small and 100 large commands. */
  void run(int scale) throws IOException {
    // A new nexus meets a power-on unit attention first; the second TEST UNIT READY is clean.
    simple(new byte[6], 0);
    check(simple(new byte[6], 0), "TEST UNIT READY");
    check(simple(cdb(0x12, 0, 0, 0, 255), 255), "INQUIRY");
    check(simple(readCapacity16(), 32), "READ CAPACITY(16)");
    long oneMiB = (1 << 20) / BLOCK;
    long span = blocks - blocks % oneMiB;
    sequential(true, oneMiB, span, 4, 2 * scale);
    sequential(false, oneMiB, span, 8, 4 * scale);
    random(false, 8, 32, 20_000 * scale);
    sequential(true, 8, span, 32, 0);
    random(false, 128, 8, 2_000 * scale);
    random(true, 128, 8, 2_000 * scale);
  }

  long commands() {
    return commands;
  }

  long bytes() {
    return bytes;
  }

  /** {@code passes} passes over the first {@code span} blocks, {@code size} blocks a command. */
  private void sequential(boolean write, long size, long span, int depth, int passes)
      throws IOException {
    int perPass = (int) (span / size);
    int count = Math.max(passes, 1) * perPass;
    pipeline(count, depth, i -> new Io((i % perPass) * size, (int) size, write));
  }

  private void random(boolean write, int size, int depth, int count) throws IOException {
    SplittableRandom random = new SplittableRandom(size * 31L + depth);
    long slots = blocks / size;
    pipeline(count, depth, i -> new Io(random.nextLong(slots) * size, size, write));
  }

  /** Keeps {@code depth} commands in flight until {@code count} have completed. */
  private void pipeline(int count, int depth, IntFunction<Io> next) throws IOException {
    int sent = 0;
    while (sent < count || !inFlight.isEmpty()) {
      while (sent < count && inFlight.size() < depth && initiator.windowOpen()) {
        Io io = next.apply(sent++);
        inFlight.put(send(io), io);
      }
      Pdu pdu = receive(sent, count);
      if (pdu.opcode() == 0x20 || pdu.opcode() == 0x32) {
        continue; // a ping that wants no answer, an asynchronous message
      }
      Io io = inFlight.get(pdu.itt());
      if (io == null) {
        throw new IOException("unexpected PDU, opcode " + pdu.opcode() + ", tag " + pdu.itt());
      }
      switch (pdu.opcode()) {
        case 0x25 -> {
          int offset = pdu.bhs().getInt(40);
          System.arraycopy(pdu.data(), 0, io.data, offset, pdu.data().length);
          if ((pdu.bhs().get(1) & 0x01) != 0) {
            complete(pdu, io);
          }
        }
        case 0x31 -> initiator.dataOut(lun, pdu, io.data);
        case 0x21 -> complete(pdu, io);
        default -> throw new IOException("unexpected PDU, opcode " + pdu.opcode());
      }
    }
  }

  /** The next PDU; a target that stops answering fails the run with what was still in flight. */
  private Pdu receive(int sent, int count) throws IOException {
    try {
      return initiator.receive();
    } catch (SocketTimeoutException e) {
      throw new IOException(
          "the target stopped answering ("
              + e.getMessage()
              + ") after "
              + sent
              + " of "
              + count
              + " commands; in flight (tag=LBA): "
              + inFlight.entrySet().stream().map(t -> t.getKey() + "=" + t.getValue().lba).toList()
              + ", "
              + initiator.window(),
          e);
    }
  }

  private int send(Io io) throws IOException {
    byte[] cdb = io.blocks > 64 ? rw16(io) : rw10(io);
    if (io.write) {
      fill(io.data, io.lba);
      return initiator.write(lun, cdb, io.data);
    }
    return initiator.read(lun, cdb, io.data.length);
  }

  private void complete(Pdu pdu, Io io) throws IOException {
    inFlight.remove(pdu.itt());
    int status = pdu.bhs().get(3) & 0xff;
    if (status != STATUS_GOOD) {
      throw new IOException(
          (io.write ? "WRITE" : "READ") + " of LBA " + io.lba + " ended with status " + status);
    }
    if (!io.write) {
      byte[] expected = new byte[io.data.length];
      fill(expected, io.lba);
      int at = Arrays.mismatch(expected, io.data);
      if (at >= 0) {
        throw new IOException(
            "READ of LBA " + io.lba + " returned other data than written, at byte " + at);
      }
    }
    commands++;
    bytes += io.data.length;
  }

  /** A command without data out, waited for: its status, or -1 for a CHECK CONDITION. */
  private int simple(byte[] cdb, int allocation) throws IOException {
    int itt = initiator.read(lun, cdb, allocation);
    while (true) {
      Pdu pdu = initiator.receive();
      boolean status = pdu.opcode() == 0x21 || pdu.opcode() == 0x25 && (pdu.bhs().get(1) & 1) != 0;
      if (pdu.itt() == itt && status) {
        commands++;
        return pdu.bhs().get(3) & 0xff;
      }
    }
  }

  private static void check(int status, String command) throws IOException {
    if (status != STATUS_GOOD) {
      throw new IOException(command + " ended with status " + status);
    }
  }

  /** Each 8 bytes of block {@code n} hold n × a large odd constant, so no two blocks match. */
  private static void fill(byte[] data, long lba) {
    ByteBuffer buffer = ByteBuffer.wrap(data);
    for (int block = 0; block < data.length / BLOCK; block++) {
      long word = (lba + block + 1) * 0x9E3779B97F4A7C15L;
      for (int i = 0; i < BLOCK; i += Long.BYTES) {
        buffer.putLong(block * BLOCK + i, word);
      }
    }
  }

  private static byte[] cdb(int... bytes) {
    byte[] cdb = new byte[16];
    for (int i = 0; i < bytes.length; i++) {
      cdb[i] = (byte) bytes[i];
    }
    return cdb;
  }

  private static byte[] readCapacity16() {
    byte[] cdb = cdb(0x9e, 0x10);
    cdb[13] = 32;
    return cdb;
  }

  private static byte[] rw10(Io io) {
    ByteBuffer cdb = ByteBuffer.allocate(16);
    cdb.put(0, (byte) (io.write ? 0x2a : 0x28));
    cdb.putInt(2, (int) io.lba);
    cdb.putShort(7, (short) io.blocks);
    return cdb.array();
  }

  private static byte[] rw16(Io io) {
    ByteBuffer cdb = ByteBuffer.allocate(16);
    cdb.put(0, (byte) (io.write ? 0x8a : 0x88));
    cdb.putLong(2, io.lba);
    cdb.putInt(10, io.blocks);
    return cdb.array();
  }

  /** One READ or WRITE: where, how many blocks, and its data (written, or read into). */
  private static final class Io {
    final long lba;
    final int blocks;
    final boolean write;
    final byte[] data;

    Io(long lba, int blocks, boolean write) {
      this.lba = lba;
      this.blocks = blocks;
      this.write = write;
      this.data = new byte[blocks * BLOCK];
    }
  }
}
