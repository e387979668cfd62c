package dev.lunar.agent.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.iscsi.pdu.DataIn;
import dev.lunar.agent.iscsi.pdu.Pdu;
import dev.lunar.agent.iscsi.pdu.ReadyToTransfer;
import dev.lunar.agent.iscsi.pdu.ScsiCommand;
import dev.lunar.agent.iscsi.pdu.ScsiResponse;
import dev.lunar.agent.iscsi.session.ConnectionGuard;
import io.netty.buffer.Unpooled;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bounds that keep a hostile initiator from holding memory or sockets without limit. */
class ResourceBoundsTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final long ISID = 0x400000000077L;
  private static final int TASK_SET_FULL = 0x28;
  private static final int MAX_BLOCKS = 65535;

  /**
   * Three sessions each announce a write of ~32 MiB and send no data: the first two fill the 64 MiB
   * budget, the third does not fit and is answered TASK SET FULL (on one connection the second
   * would wait for the first instead: see below).
   */
  @Test
  void writesBeyondTheDaemonsBufferBudgetGetTaskSetFullAndTheBudgetComesBack() throws Exception {
    try (InProcessTarget target = new InProcessTarget()) {
      List<RawInitiator> initiators = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          RawInitiator initiator = target.initiator();
          initiators.add(initiator);
          initiator.login(InProcessTarget.IQN, ISID + i, 0, 0, Map.of("ImmediateData", "No"));
          clearPowerOnUnitAttention(initiator);
        }
        List<Pdu> answers = new ArrayList<>();
        for (RawInitiator initiator : initiators) {
          initiator.send(write(initiator, MAX_BLOCKS));
          answers.add(initiator.receive(WAIT));
        }
        assertThat(answers.get(0)).isInstanceOf(ReadyToTransfer.class);
        assertThat(answers.get(1)).isInstanceOf(ReadyToTransfer.class);
        assertThat(answers.get(2)).isInstanceOf(ScsiResponse.class);
        assertThat(Pdus.statusOf(answers.get(2))).isEqualTo(TASK_SET_FULL);
        assertThat(target.sessions.bufferedCommandBytes()).isEqualTo(2L * MAX_BLOCKS * 512);
      } finally {
        initiators.forEach(RawInitiator::close);
      }
      // The initiators left with both writes unfinished: their reservations must come back.
      assertBudgetComesBack(target);
    }
  }

  /**
   * A hostile initiator announces 80 MiB of writes on one connection and sends none of the data:
   * only its share, 16 MiB, is reserved and asked for (R2Ts); the rest waits, holding its CmdSN
   * window, without taking what others need. Another session meanwhile writes and reads with GOOD
   * status, not TASK SET FULL. Once the hostile initiator sends one write's data the next waiting
   * write is asked for, and when it disconnects the whole budget comes back.
   */
  @Test
  void writesAnnouncedWithoutDataHoldOnlyTheirConnectionsShareWhileOthersWriteAndRead()
      throws Exception {
    int mib = 2048;
    int writes = 80;
    long share = 16L << 20;
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator hostile = target.initiator();
        RawInitiator other = target.initiator()) {
      hostile.login(InProcessTarget.IQN, ISID, 0, 0, Map.of("ImmediateData", "No"));
      clearPowerOnUnitAttention(hostile);
      List<Integer> itts = new ArrayList<>();
      for (int i = 0; i < writes; i++) {
        ScsiCommand write = write(hostile, mib);
        itts.add(write.itt());
        hostile.send(write);
      }
      List<ReadyToTransfer> r2ts = new ArrayList<>();
      for (Pdu pdu = hostile.poll(WAIT); pdu != null; pdu = hostile.poll(Duration.ofMillis(500))) {
        assertThat(pdu).as("only R2Ts, no TASK SET FULL").isInstanceOf(ReadyToTransfer.class);
        r2ts.add((ReadyToTransfer) pdu);
      }
      assertThat(r2ts).hasSize((int) (share >> 20));
      assertThat(target.sessions.bufferedCommandBytes()).isEqualTo(share);

      other.login(InProcessTarget.IQN, ISID + 1, 0, 0, Map.of());
      clearPowerOnUnitAttention(other);
      byte[] content = new byte[mib * 512];
      Arrays.fill(content, (byte) 0x5a);
      other.send(write(other, mib));
      assertThat(Pdus.statusOf(sendData(other, content))).as("other session's write").isZero();
      other.send(Pdus.read10(other.nextItt(), other.takeCmdSn(), other.expStatSn(), 0, mib));
      assertThat(Pdus.statusOf(readAnswer(other))).as("other session's read").isZero();

      // The hostile initiator sends one write's data: the oldest waiting write is asked for next.
      FullFeaturePhaseTest.sendBurst(hostile, r2ts.getFirst(), content);
      Pdu afterData = sendData(hostile, content);
      assertThat(Pdus.statusOf(afterData)).as("the hostile write with its data").isZero();
      Pdu next = hostile.receive(WAIT);
      assertThat(next).isInstanceOf(ReadyToTransfer.class);
      assertThat(((ReadyToTransfer) next).itt()).isEqualTo(itts.get(r2ts.size()));

      hostile.close();
      assertBudgetComesBack(target);
    }
  }

  /**
   * An initiator announces a write, never sends its data, and answers every ping: once the R2T has
   * stayed open without Data-Out for two idle periods the target drops the connection, and the
   * write's reservation comes back.
   */
  @Test
  void aWriteWhoseDataNeverComesEndsItsConnectionAfterTheDataOutTimeout() throws Exception {
    Duration idle = Duration.ofMillis(500);
    Duration timeout = idle.multipliedBy(2);
    try (InProcessTarget target = new InProcessTarget(idle, Map.of());
        RawInitiator initiator = target.initiator()) {
      initiator.login(InProcessTarget.IQN, ISID, 0, 0, Map.of("ImmediateData", "No"));
      clearPowerOnUnitAttention(initiator);
      initiator.send(write(initiator, 2048));
      long start = System.nanoTime();
      Pdu r2t = initiator.receive(WAIT);
      assertThat(r2t).isInstanceOf(ReadyToTransfer.class);
      assertThat(target.sessions.bufferedCommandBytes()).isEqualTo(1L << 20);

      assertThat(initiator.closedWithinAnsweringPings(WAIT)).as("dropped").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(timeout);
      assertBudgetComesBack(target);
    }
  }

  private static void clearPowerOnUnitAttention(RawInitiator initiator) {
    initiator.send(
        Pdus.testUnitReady(initiator.nextItt(), initiator.takeCmdSn(), initiator.expStatSn()));
    assertThat(Pdus.statusOf(initiator.receive(WAIT))).as("power-on unit attention").isEqualTo(2);
  }

  /** A WRITE (10) of {@code blocks} at LBA 0 that brings no data: all of it is to be asked for. */
  private static ScsiCommand write(RawInitiator initiator, int blocks) {
    return Pdus.write10(
        initiator.nextItt(),
        initiator.takeCmdSn(),
        initiator.expStatSn(),
        0,
        blocks,
        Unpooled.EMPTY_BUFFER,
        true);
  }

  /** Answers R2Ts with {@code content} until the command's status arrives; returns it. */
  private static Pdu sendData(RawInitiator initiator, byte[] content) {
    Pdu pdu = initiator.receive(WAIT);
    while (pdu instanceof ReadyToTransfer r2t) {
      FullFeaturePhaseTest.sendBurst(initiator, r2t, content);
      pdu = initiator.receive(WAIT);
    }
    return pdu;
  }

  /** Reads Data-In until the one with status; returns it. */
  private static Pdu readAnswer(RawInitiator initiator) {
    while (true) {
      Pdu pdu = initiator.receive(WAIT);
      if (pdu instanceof DataIn dataIn && !dataIn.statusPresent()) {
        dataIn.data().release();
        continue;
      }
      return pdu;
    }
  }

  /**
   * An initiator that pipelines reads and does not collect the answers: the target runs them only
   * as fast as the answers leave, so what it holds for this connection stays near a quarter of the
   * daemon's 64 MiB transfer budget (run inline, near one answer) instead of the whole window's: 60
   * MiB here. The bound leaves room for what Netty's allocator keeps. Once the initiator reads,
   * every answer arrives.
   */
  @Test
  void readsWhoseAnswersAreNotCollectedWaitInsteadOfFillingDirectMemory() throws Exception {
    int reads = 120;
    int blocks = 1024;
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator initiator = target.initiator(4096)) {
      initiator.login(InProcessTarget.IQN, ISID, 0, 0, Map.of());
      initiator.send(
          Pdus.testUnitReady(initiator.nextItt(), initiator.takeCmdSn(), initiator.expStatSn()));
      assertThat(Pdus.statusOf(initiator.receive(WAIT))).as("power-on unit attention").isEqualTo(2);
      long before = PlatformDependent.usedDirectMemory();
      List<Integer> itts = new ArrayList<>();
      for (int i = 0; i < reads; i++) {
        int itt = initiator.nextItt();
        itts.add(itt);
        initiator.send(Pdus.read10(itt, initiator.takeCmdSn(), initiator.expStatSn(), 0, blocks));
      }
      Thread.sleep(1000); // unbounded, all the reads would have run within milliseconds

      long held = PlatformDependent.usedDirectMemory() - before;
      assertThat(held).as("direct memory held for the connection").isLessThan(32L << 20);
      List<Integer> answered = new ArrayList<>();
      while (answered.size() < reads) {
        Pdu pdu = initiator.receive(WAIT);
        assertThat(pdu).isInstanceOf(DataIn.class);
        DataIn dataIn = (DataIn) pdu;
        if (!dataIn.statusPresent()) {
          dataIn.data().release(); // the first half of an answer; the status comes with the rest
          continue;
        }
        answered.add(dataIn.itt());
        assertThat(Pdus.statusOf(pdu)).isZero();
      }
      assertThat(answered).containsExactlyInAnyOrderElementsOf(itts);

      // Reads left unsent when the initiator goes away give their budget back.
      for (int i = 0; i < reads; i++) {
        initiator.send(
            Pdus.read10(
                initiator.nextItt(), initiator.takeCmdSn(), initiator.expStatSn(), 0, blocks));
      }
      Thread.sleep(200);
      assertThat(target.sessions.bufferedCommandBytes()).as("answers waiting").isPositive();
      initiator.close();
      assertBudgetComesBack(target);
    }
  }

  /**
   * Waits until the daemon holds no command data any more; fails if that takes over {@link #WAIT}.
   */
  private static void assertBudgetComesBack(InProcessTarget target) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (target.sessions.bufferedCommandBytes() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(target.sessions.bufferedCommandBytes()).as("budget after the close").isZero();
  }

  @Test
  void connectionsBeyondThePerAddressCapAreClosedBeforeAnythingIsRead() throws Exception {
    int extra = 6;
    List<Socket> sockets = new ArrayList<>();
    try (InProcessTarget target = new InProcessTarget()) {
      InetAddress from = InetAddress.getByName("127.0.0.3");
      for (int i = 0; i < ConnectionGuard.DEFAULT_MAX_PER_ADDRESS + extra; i++) {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(target.address(), 2000);
        sockets.add(s);
      }
      // Well inside the login deadline: only the cap can have closed anything yet.
      Thread.sleep(500);
      int closed = 0;
      for (Socket s : sockets) {
        closed += closedWithin(s, Duration.ofMillis(5)) ? 1 : 0;
      }
      assertThat(closed).isEqualTo(extra);
      // Another address is not affected.
      try (RawInitiator initiator = target.initiator()) {
        assertThat(initiator.login(InProcessTarget.IQN, ISID, 0, 0, Map.of()).statusClass())
            .isZero();
      }
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  private static boolean closedWithin(Socket s, Duration limit) {
    try {
      s.setSoTimeout((int) limit.toMillis());
      return s.getInputStream().read() < 0;
    } catch (SocketTimeoutException open) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
