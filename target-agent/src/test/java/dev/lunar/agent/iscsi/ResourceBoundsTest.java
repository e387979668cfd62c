package dev.lunar.agent.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.iscsi.pdu.DataIn;
import dev.lunar.agent.iscsi.pdu.Pdu;
import dev.lunar.agent.iscsi.pdu.ReadyToTransfer;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bounds that keep a hostile initiator from holding memory or sockets without limit. */
class ResourceBoundsTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final long ISID = 0x400000000077L;
  private static final int TASK_SET_FULL = 0x28;
  private static final int MAX_BLOCKS = 65535;

  @Test
  void writesBeyondTheDaemonsBufferBudgetGetTaskSetFullAndTheBudgetComesBack() throws Exception {
    try (InProcessTarget target = new InProcessTarget()) {
      try (RawInitiator initiator = target.initiator()) {
        initiator.login(InProcessTarget.IQN, ISID, 0, 0, Map.of("ImmediateData", "No"));
        initiator.send(
            Pdus.testUnitReady(initiator.nextItt(), initiator.takeCmdSn(), initiator.expStatSn()));
        assertThat(Pdus.statusOf(initiator.receive(WAIT)))
            .as("power-on unit attention")
            .isEqualTo(2);

        // Two announced writes of ~32 MiB fill the 64 MiB budget; the third does not fit.
        for (int i = 0; i < 3; i++) {
          initiator.send(
              Pdus.write10(
                  initiator.nextItt(),
                  initiator.takeCmdSn(),
                  initiator.expStatSn(),
                  0,
                  MAX_BLOCKS,
                  Unpooled.EMPTY_BUFFER,
                  true));
        }
        int r2ts = 0;
        int statuses = 0;
        for (int i = 0; i < 3; i++) {
          Pdu pdu = initiator.receive(WAIT);
          if (pdu instanceof ReadyToTransfer) {
            r2ts++;
            pdu.data().release();
          } else {
            assertThat(pdu).isInstanceOf(ScsiResponse.class);
            assertThat(Pdus.statusOf(pdu)).isEqualTo(TASK_SET_FULL);
            statuses++;
          }
        }
        assertThat(r2ts).isEqualTo(2);
        assertThat(statuses).isEqualTo(1);
        assertThat(target.sessions.bufferedCommandBytes()).isEqualTo(2L * MAX_BLOCKS * 512);
      }
      // The initiator left with both writes unfinished: their reservations must come back.
      assertBudgetComesBack(target);
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
