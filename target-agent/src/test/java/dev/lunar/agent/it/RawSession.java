package dev.lunar.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/**
 * A bare iSCSI session over a plain socket, built from {@link HostilePdus}, for what the packaged
 * initiators cannot send (MODE SELECT) or do not show (an Asynchronous Message). One command at a
 * time to LUN 1, write data sent as immediate data (so at most one 8 KiB PDU), no digests.
 */
final class RawSession implements AutoCloseable {

  /** SCSI status CHECK CONDITION; sense key 6 is UNIT ATTENTION (SPC-4 4.5.6). */
  static final int CHECK_CONDITION = 0x02;

  private static final int SCSI_RESPONSE = 0x21;
  private static final int DATA_IN = 0x25;

  /** What a command came back with. */
  record Reply(int status, byte[] dataIn, byte[] sense) {
    boolean unitAttention() {
      return status == CHECK_CONDITION && sense.length > 2 && (sense[2] & 0x0f) == 6;
    }
  }

  private final Socket socket;
  private int itt = 1;
  private int cmdSn;
  private int expStatSn;

  private RawSession(Socket socket, int cmdSn, int expStatSn) {
    this.socket = socket;
    this.cmdSn = cmdSn;
    this.expStatSn = expStatSn;
  }

  /** Logs in to {@code iqn} on the daemon's portal as {@code initiator}; fails if refused. */
  static RawSession login(Daemon daemon, String initiator, String iqn) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 5000);
    s.setSoTimeout((int) Duration.ofSeconds(15).toMillis());
    s.setTcpNoDelay(true); // the BHS and its data go out in two writes: no Nagle wait between
    long isid = 0x400000000000L | (initiator.hashCode() & 0xffffffffL);
    s.getOutputStream()
        .write(HostilePdus.login(isid, false, HostilePdus.normalSession(initiator, iqn)));
    ByteBuffer response = readBhs(s.getInputStream(), null);
    assertThat(response.getShort(36)).as("login status").isZero();
    return new RawSession(s, response.getInt(28), response.getInt(24) + 1);
  }

  /** Runs a command, retrying (a few times) while it only reports unit attentions. */
  Reply command(byte[] cdb, byte[] dataOut, int dataInLength) throws IOException {
    Reply reply = once(cdb, dataOut, dataInLength);
    for (int i = 0; i < 4 && reply.unitAttention(); i++) {
      reply = once(cdb, dataOut, dataInLength);
    }
    return reply;
  }

  private Reply once(byte[] cdb, byte[] dataOut, int dataInLength) throws IOException {
    boolean write = dataOut != null;
    ByteBuffer bhs =
        ByteBuffer.wrap(
            HostilePdus.scsi(itt++, cmdSn++, write, write ? dataOut.length : dataInLength, cdb));
    bhs.putInt(28, expStatSn);
    byte[] data = write ? dataOut : new byte[0];
    bhs.put(5, (byte) (data.length >>> 16)).put(6, (byte) (data.length >>> 8));
    bhs.put(7, (byte) data.length);
    OutputStream out = socket.getOutputStream();
    out.write(bhs.array());
    out.write(Arrays.copyOf(data, (data.length + 3) & ~3));
    out.flush();
    byte[] dataIn = new byte[dataInLength];
    while (true) {
      byte[][] segment = new byte[1][];
      ByteBuffer in = readBhs(socket.getInputStream(), segment);
      int opcode = in.get(0) & 0x3f;
      if (opcode == DATA_IN) {
        int offset = in.getInt(40);
        System.arraycopy(
            segment[0], 0, dataIn, offset, Math.min(segment[0].length, dataInLength - offset));
        if ((in.get(1) & 0x01) != 0) { // S: status carried here, no SCSI Response follows
          expStatSn = in.getInt(24) + 1;
          return new Reply(in.get(3) & 0xff, dataIn, new byte[0]);
        }
      } else if (opcode == SCSI_RESPONSE) {
        expStatSn = in.getInt(24) + 1;
        byte[] sense =
            segment[0].length >= 2
                ? Arrays.copyOfRange(segment[0], 2, 2 + ByteBuffer.wrap(segment[0]).getShort(0))
                : new byte[0];
        return new Reply(in.get(3) & 0xff, dataIn, sense);
      }
      // anything else (a NOP-In, an Asynchronous Message) is not this command's answer
    }
  }

  /** Waits for an Asynchronous Message (11.9); returns its BHS (AsyncEvent at byte 36). */
  ByteBuffer awaitAsyncMessage() throws IOException {
    while (true) {
      ByteBuffer bhs = readBhs(socket.getInputStream(), null);
      if ((bhs.get(0) & 0x3f) == 0x32) {
        return bhs;
      }
    }
  }

  /** One PDU: returns its BHS; its data segment goes to {@code segment[0]} when asked for. */
  private static ByteBuffer readBhs(InputStream in, byte[][] segment) throws IOException {
    byte[] bhs = in.readNBytes(HostilePdus.BHS);
    if (bhs.length < HostilePdus.BHS) {
      throw new IOException("connection closed before a whole PDU");
    }
    ByteBuffer b = ByteBuffer.wrap(bhs);
    int dataLength = b.getInt(4) & 0xffffff;
    in.readNBytes((bhs[4] & 0xff) * 4);
    byte[] data = in.readNBytes((dataLength + 3) & ~3);
    if (segment != null) {
      segment[0] = Arrays.copyOf(data, dataLength);
    }
    return b;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
