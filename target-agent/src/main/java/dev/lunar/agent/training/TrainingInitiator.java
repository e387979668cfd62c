package dev.lunar.agent.training;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The initiator side of a training run: one connection, one session, plain blocking socket I/O.
 *
 * <p>It encodes and parses PDUs itself, byte by byte, on purpose: the training run records which
 * classes the target loads and how its hot methods behave, and a client that ran through the
 * target's own codec would record the client's calls in the target's profiles.
 */
final class TrainingInitiator implements AutoCloseable {

  static final String NAME = "iqn.2026-11.dev.lunar:aot-training";
  static final int BHS = 48;
  private static final int NO_TAG = 0xffffffff;
  private static final int RECEIVE_LIMIT = 262144;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private Limits limits = Limits.DEFAULTS;
  private int cmdSn;
  private int maxCmdSn;
  private int expStatSn;
  private int nextItt = 1;

  private TrainingInitiator(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static TrainingInitiator connect(InetSocketAddress portal) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(portal, 5000);
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(30_000); // a stuck target fails the run instead of hanging the build
      return new TrainingInitiator(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Logs in straight to the full feature phase with the keys qemu and libiscsi offer; {@code
   * target} null opens a discovery session. The target's answers set the session's limits.
   */
  void login(String target) throws IOException {
    Map<String, String> negotiated = new LinkedHashMap<>();
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("InitiatorName", NAME);
    keys.put("SessionType", target == null ? "Discovery" : "Normal");
    if (target != null) {
      keys.put("TargetName", target);
      keys.put("ImmediateData", "Yes");
      keys.put("InitialR2T", "No");
      keys.put("FirstBurstLength", "262144");
      keys.put("MaxBurstLength", "1048576");
      keys.put("MaxOutstandingR2T", "1");
    }
    keys.put("HeaderDigest", "None");
    keys.put("DataDigest", "None");
    keys.put("MaxRecvDataSegmentLength", Integer.toString(RECEIVE_LIMIT));
    int itt = nextItt++;
    for (int round = 0; round < 4; round++) {
      byte[] text = text(keys);
      ByteBuffer bhs = header(0x43, 0x80 | 0x04 | 0x03, text.length); // T, CSG 1, NSG 3
      bhs.putLong(8, 0x8000_0000_1234_0000L); // ISID of the random format, then TSIH 0
      bhs.putInt(16, itt);
      bhs.putInt(24, cmdSn);
      bhs.putInt(28, expStatSn);
      send(bhs, text);
      Pdu answer = receive();
      if (answer.opcode() != 0x23) {
        throw new IOException("expected a Login Response, got opcode " + answer.opcode());
      }
      int statusClass = answer.bhs().get(36) & 0xff;
      if (statusClass != 0) {
        throw new IOException("login refused: status class " + statusClass);
      }
      negotiated.putAll(parseText(answer.data()));
      expStatSn = answer.bhs().getInt(24) + 1;
      cmdSn = answer.bhs().getInt(28);
      maxCmdSn = answer.bhs().getInt(32);
      if ((answer.bhs().get(1) & 0x83) == 0x83) { // T and NSG full feature phase
        limits = Limits.of(negotiated);
        return;
      }
      keys.clear(); // the target wants another round: everything was offered already
    }
    throw new IOException("the target did not reach the full feature phase in 4 rounds");
  }

  /**
   * What the target answered at login, read once; a key it left out keeps RFC 7143's default
   * (MaxRecvDataSegmentLength 8192, FirstBurstLength 65536, ImmediateData and InitialR2T Yes).
   */
  private record Limits(int maxSegment, int firstBurst, boolean immediateData, boolean initialR2T) {

    static final Limits DEFAULTS = new Limits(8192, 65536, true, true);

    static Limits of(Map<String, String> keys) {
      return new Limits(
          number(keys, "MaxRecvDataSegmentLength", DEFAULTS.maxSegment),
          number(keys, "FirstBurstLength", DEFAULTS.firstBurst),
          !"No".equals(keys.get("ImmediateData")),
          !"No".equals(keys.get("InitialR2T")));
    }

    private static int number(Map<String, String> keys, String key, int fallback) {
      String value = keys.get(key);
      return value == null ? fallback : Integer.parseInt(value);
    }
  }

  /** A discovery session's SendTargets=All, answered as text. */
  String sendTargets() throws IOException {
    byte[] text = text(Map.of("SendTargets", "All"));
    ByteBuffer bhs = header(0x04 | 0x40, 0x80, text.length);
    bhs.putInt(16, nextItt++);
    bhs.putInt(20, NO_TAG);
    bhs.putInt(24, cmdSn);
    bhs.putInt(28, expStatSn);
    send(bhs, text);
    Pdu answer = receive();
    return new String(answer.data(), StandardCharsets.UTF_8);
  }

  /** Sends a command that reads {@code length} bytes (or none) from LUN {@code lun}; its tag. */
  int read(int lun, byte[] cdb, int length) throws IOException {
    return command(lun, cdb, length, length > 0 ? 0x40 : 0, null, 0);
  }

  /**
   * Sends a WRITE with {@code data}: as much as the session allows with the command (immediate
   * data), then unsolicited Data-Out up to the first burst unless InitialR2T is in force; R2Ts ask
   * for the rest ({@link #dataOut}). Returns its tag.
   */
  int write(int lun, byte[] cdb, byte[] data) throws IOException {
    int firstBurst = Math.min(data.length, limits.firstBurst());
    int attached = limits.immediateData() ? Math.min(limits.maxSegment(), firstBurst) : 0;
    int itt = command(lun, cdb, data.length, 0x20, data, attached);
    if (!limits.initialR2T()) {
      dataOut(lun, itt, NO_TAG, data, attached, firstBurst);
    }
    return itt;
  }

  private int command(int lun, byte[] cdb, int length, int direction, byte[] data, int attached)
      throws IOException {
    int itt = nextItt++;
    ByteBuffer bhs = header(0x01, 0x80 | direction | 1, attached); // F, R or W, simple task
    bhs.putLong(8, lunField(lun));
    bhs.putInt(16, itt);
    bhs.putInt(20, length);
    bhs.putInt(24, cmdSn++);
    bhs.putInt(28, expStatSn);
    bhs.put(32, cdb);
    send(bhs, data, 0, attached);
    return itt;
  }

  /** The Data-Out PDUs an R2T asks for. */
  void dataOut(int lun, Pdu r2t, byte[] data) throws IOException {
    int offset = r2t.bhs().getInt(40);
    int end = offset + r2t.bhs().getInt(44);
    dataOut(lun, r2t.itt(), r2t.bhs().getInt(20), data, offset, end);
  }

  /** Bytes {@code offset} to {@code end} of {@code data}, each PDU at most the target's limit. */
  private void dataOut(int lun, int itt, int ttt, byte[] data, int offset, int end)
      throws IOException {
    for (int sn = 0; offset < end; sn++) {
      int length = Math.min(limits.maxSegment(), end - offset);
      ByteBuffer bhs = header(0x05, offset + length == end ? 0x80 : 0, length);
      bhs.putLong(8, lunField(lun));
      bhs.putInt(16, itt);
      bhs.putInt(20, ttt);
      bhs.putInt(28, expStatSn);
      bhs.putInt(36, sn);
      bhs.putInt(40, offset);
      send(bhs, data, offset, length);
      offset += length;
    }
  }

  /** The command window as this initiator sees it, for a failure's message. */
  String window() {
    return "CmdSN " + cmdSn + ", MaxCmdSN " + maxCmdSn + ", ExpStatSN " + expStatSn;
  }

  /** Whether another non-immediate command fits the target's CmdSN window. */
  boolean windowOpen() {
    return cmdSn - maxCmdSn <= 0;
  }

  /**
   * The next PDU from the target. It answers the target's pings itself and keeps ExpStatSN and the
   * command window current.
   */
  Pdu receive() throws IOException {
    while (true) {
      byte[] header = new byte[BHS];
      in.readFully(header);
      ByteBuffer bhs = ByteBuffer.wrap(header);
      int ahs = (bhs.get(4) & 0xff) * 4;
      int length = bhs.getInt(4) & 0xffffff;
      if (length > RECEIVE_LIMIT) {
        throw new IOException("the target sent a " + length + "-byte segment");
      }
      in.skipNBytes(ahs);
      byte[] data = new byte[length];
      in.readFully(data);
      in.skipNBytes((4 - length % 4) % 4);
      Pdu pdu = new Pdu(bhs, data);
      track(pdu);
      if (pdu.opcode() == 0x20 && bhs.getInt(20) != NO_TAG) {
        answerPing(bhs);
        continue;
      }
      return pdu;
    }
  }

  private void track(Pdu pdu) {
    ByteBuffer bhs = pdu.bhs();
    boolean statSn =
        switch (pdu.opcode()) {
          case 0x21, 0x24, 0x26 -> true; // an R2T repeats the next StatSN
          case 0x25 -> (bhs.get(1) & 0x01) != 0; // status present
          case 0x20 -> bhs.getInt(16) != NO_TAG;
          default -> false;
        };
    if (statSn) {
      expStatSn = bhs.getInt(24) + 1;
    }
    if (pdu.opcode() != 0x23 && pdu.opcode() != 0x3f) {
      int max = bhs.getInt(32);
      if (max - maxCmdSn > 0) {
        maxCmdSn = max;
      }
    }
  }

  private void answerPing(ByteBuffer ping) throws IOException {
    ByteBuffer bhs = header(0x40, 0x80, 0);
    bhs.putLong(8, ping.getLong(8));
    bhs.putInt(16, NO_TAG);
    bhs.putInt(20, ping.getInt(20));
    bhs.putInt(24, cmdSn);
    bhs.putInt(28, expStatSn);
    send(bhs, null, 0, 0);
  }

  /** Closes the session (Logout, reason 0) and waits for the answer. */
  void logout() throws IOException {
    ByteBuffer bhs = header(0x06 | 0x40, 0x80, 0);
    bhs.putInt(16, nextItt++);
    bhs.putInt(24, cmdSn);
    bhs.putInt(28, expStatSn);
    send(bhs, null, 0, 0);
    while (receive().opcode() != 0x26) {
      // late answers of the session's last commands
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static ByteBuffer header(int opcode, int flags, int dataLength) {
    ByteBuffer bhs = ByteBuffer.allocate(BHS);
    bhs.put(0, (byte) opcode);
    bhs.put(1, (byte) flags);
    bhs.putInt(4, dataLength); // TotalAHSLength 0 in the top byte
    return bhs;
  }

  /** LUN {@code n} in the single-level peripheral form (SAM-5) that tgt and qemu use. */
  private static long lunField(int n) {
    return ((long) n & 0xff) << 48;
  }

  private void send(ByteBuffer bhs, byte[] data) throws IOException {
    send(bhs, data, 0, data.length);
  }

  private void send(ByteBuffer bhs, byte[] data, int offset, int length) throws IOException {
    out.write(bhs.array());
    if (length > 0) {
      out.write(data, offset, length);
      out.write(new byte[(4 - length % 4) % 4]);
    }
    out.flush();
  }

  private static byte[] text(Map<String, String> keys) {
    StringBuilder text = new StringBuilder();
    keys.forEach((k, v) -> text.append(k).append('=').append(v).append('\0'));
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> parseText(byte[] data) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String pair : new String(data, StandardCharsets.UTF_8).split("\0")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        keys.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return keys;
  }

  /** A PDU as received: its basic header segment and its data segment. */
  record Pdu(ByteBuffer bhs, byte[] data) {

    int opcode() {
      return bhs.get(0) & 0x3f;
    }

    int itt() {
      return bhs.getInt(16);
    }
  }
}
