package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.iscsi.pdu.DataOut;
import dev.lunar.agent.iscsi.pdu.DataPlacement;
import dev.lunar.agent.iscsi.pdu.Pdu;
import dev.lunar.agent.iscsi.pdu.PduDecoder;
import dev.lunar.agent.iscsi.pdu.PduEncoder;
import dev.lunar.agent.iscsi.pdu.ScsiCommand;
import dev.lunar.agent.iscsi.pdu.TaskManagementFunction;
import dev.lunar.agent.iscsi.pdu.TaskManagementRequest;
import dev.lunar.agent.metrics.AgentMetrics;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.agent.scsi.LogicalUnit;
import dev.lunar.agent.scsi.LogicalUnits;
import dev.lunar.agent.scsi.LunContext;
import dev.lunar.agent.target.LiveTarget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.Executor;

/**
 * One connection of a logged-in session on Netty's {@link EmbeddedChannel}: the session layer as it
 * runs in the daemon (decoder, encoder, {@link Connection}, the session, its target) without a
 * socket or a login, on the test's thread. The command executor is a queue the test runs when it
 * chooses, so a command can be caught while it waits for the executor.
 *
 * <p>The test writes initiator PDUs as objects (the decoder passes them on) and reads back what the
 * target sent, decoded again.
 */
final class EmbeddedSession implements AutoCloseable {

  static final String IQN = "iqn.2026-11.dev.lunar.test:embedded";
  static final int DATA_OUT_TIMEOUT_MILLIS = 3000;

  /** Limits with room for large bursts, so a test can solicit a whole write with one R2T. */
  static final TransferLimits LIMITS =
      new TransferLimits(262144, 262144, true, true, 65536, 32 << 20, 1, false, false);

  final SessionRegistry registry = new SessionRegistry();
  final Session session;
  final Connection connection;
  final EmbeddedChannel channel;
  private final Queue<Runnable> executor = new ArrayDeque<>();
  private final EmbeddedChannel decoder;
  private int nextItt = 1;
  private int cmdSn = 1;

  /** A session whose target has LUN 0 (the controller) and {@code units}, by LUN. */
  EmbeddedSession(Map<Integer, LogicalUnit> units) {
    this(units, LIMITS);
  }

  /** The same, with other negotiated limits (digests, segment lengths). */
  EmbeddedSession(Map<Integer, LogicalUnit> units, TransferLimits limits) {
    TreeMap<Integer, LogicalUnit> all = new TreeMap<>(units);
    all.put(0, LogicalUnits.controller(new LunContext(1, IQN, () -> lunNumbers(all))));
    LiveTarget target = new LiveTarget(TargetSpec.create(1, IQN), all, Map.of(), null, null);
    Executor queued = executor::add;
    ConnectionServices services =
        new ConnectionServices(
            registry, null, tid -> target, queued, List.of(), null, AgentMetrics.disabled());
    connection = new Connection(services, Duration.ofMillis(DATA_OUT_TIMEOUT_MILLIS));
    channel =
        new EmbeddedChannel(new PduDecoder(new DataPlacement()), new PduEncoder(), connection);
    session =
        registry.create(
            new SessionIdentity("iqn.2026-11.dev.lunar.test:initiator", null, 0x23d0, IQN, 1),
            () -> target,
            cmdSn,
            1,
            limits);
    session.attach(connection);
    connection.enterFullFeature(session, 0, limits);
    PduDecoder answers = new PduDecoder();
    answers.maxRecvDataSegmentLength(limits.maxSendSegment());
    answers.headerDigest(limits.headerDigest());
    answers.dataDigest(limits.dataDigest());
    decoder = new EmbeddedChannel(answers);
  }

  private static int[] lunNumbers(TreeMap<Integer, LogicalUnit> units) {
    return units.keySet().stream().mapToInt(Integer::intValue).toArray();
  }

  int nextItt() {
    return nextItt++;
  }

  /** The next CmdSN, consumed. */
  int takeCmdSn() {
    return cmdSn++;
  }

  /** Delivers one PDU from the initiator and runs what the event loop has queued. */
  void send(Pdu pdu) {
    channel.writeInbound(pdu);
    settle();
  }

  /** Delivers bytes from the initiator, as a socket read would, and runs what follows. */
  void sendBytes(ByteBuf bytes) {
    channel.writeInbound(bytes);
    settle();
  }

  /** Where the decoder stands (whether it is placing a Data-Out's data, for one). */
  PduDecoder.State decoderState() {
    return channel.pipeline().get(PduDecoder.class).state();
  }

  /** Runs the event loop's queued tasks (deliveries, results, flushes). */
  void settle() {
    channel.runPendingTasks();
  }

  /** Runs every command waiting for the executor, then what they handed back to the event loop. */
  void runExecutor() {
    Runnable task;
    while ((task = executor.poll()) != null) {
      task.run();
    }
    settle();
  }

  /** Commands waiting for the executor. */
  int waitingForExecutor() {
    return executor.size();
  }

  /**
   * Every PDU the target sent since the last call, decoded; file regions (read data sent from the
   * backing file) are read as the socket would send them.
   */
  List<Pdu> received() {
    Object out;
    while ((out = channel.readOutbound()) != null) {
      decoder.writeInbound(out instanceof FileRegion region ? contents(region) : out);
    }
    List<Pdu> pdus = new ArrayList<>();
    Pdu pdu;
    while ((pdu = decoder.readInbound()) != null) {
      pdus.add(pdu);
    }
    return pdus;
  }

  /** Whether the target sent read data straight from a file since the last {@link #received}. */
  boolean sentFileRegion() {
    for (Object message : channel.outboundMessages()) {
      if (message instanceof FileRegion) {
        return true;
      }
    }
    return false;
  }

  private static ByteBuf contents(FileRegion region) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (WritableByteChannel sink = Channels.newChannel(bytes)) {
      while (region.transferred() < region.count()) {
        region.transferTo(sink, region.transferred());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      region.release();
    }
    return Unpooled.wrappedBuffer(bytes.toByteArray());
  }

  /** The one PDU the target sent since the last call; fails on none or several. */
  Pdu receivedOne() {
    List<Pdu> pdus = received();
    if (pdus.size() != 1) {
      pdus.forEach(p -> ReferenceCountUtil.release(p.data()));
      throw new AssertionError("expected one PDU, got " + pdus);
    }
    return pdus.getFirst();
  }

  /** A SCSI command for {@code lun}, simple task attribute, with {@code data} as immediate data. */
  ScsiCommand command(
      int itt, int lun, byte[] cdb, boolean read, boolean write, int edtl, ByteBuf data) {
    return new ScsiCommand(
        false,
        true,
        read,
        write,
        1,
        LunAddress.encode(lun),
        itt,
        edtl,
        takeCmdSn(),
        0,
        java.util.Arrays.copyOf(cdb, 16),
        0,
        data);
  }

  /** WRITE (10) of {@code blocks} 512-byte blocks at LBA 0 with {@code immediate} data. */
  ScsiCommand write10(int itt, int lun, int blocks, ByteBuf immediate) {
    byte[] cdb = {0x2a, 0, 0, 0, 0, 0, 0, (byte) (blocks >>> 8), (byte) blocks, 0};
    return command(itt, lun, cdb, false, true, blocks * 512, immediate);
  }

  /** READ (10) of {@code blocks} 512-byte blocks at LBA 0. */
  ScsiCommand read10(int itt, int lun, int blocks) {
    byte[] cdb = {0x28, 0, 0, 0, 0, 0, 0, (byte) (blocks >>> 8), (byte) blocks, 0};
    return command(itt, lun, cdb, true, false, blocks * 512, Unpooled.EMPTY_BUFFER);
  }

  /** TEST UNIT READY: not a plain READ or WRITE, so it runs on the executor. */
  ScsiCommand testUnitReady(int itt, int lun) {
    return command(itt, lun, new byte[6], false, false, 0, Unpooled.EMPTY_BUFFER);
  }

  DataOut dataOut(int itt, int ttt, int dataSn, int offset, byte[] data, boolean last) {
    return new DataOut(
        last, LunAddress.encode(1), itt, ttt, 0, dataSn, offset, Unpooled.wrappedBuffer(data));
  }

  /** A task management request in CmdSN order, for {@code lun}. */
  TaskManagementRequest taskManagement(
      TaskManagementFunction function, int lun, int referencedTaskTag, int refCmdSn) {
    int sn = takeCmdSn();
    return new TaskManagementRequest(
        false, function, LunAddress.encode(lun), nextItt(), referencedTaskTag, sn, 0, refCmdSn, 0);
  }

  @Override
  public void close() {
    received().forEach(p -> ReferenceCountUtil.release(p.data()));
    channel.finishAndReleaseAll();
    decoder.finishAndReleaseAll();
  }
}
