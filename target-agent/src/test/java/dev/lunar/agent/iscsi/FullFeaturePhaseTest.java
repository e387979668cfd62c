package dev.lunar.agent.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.iscsi.login.TextParameter;
import dev.lunar.agent.iscsi.pdu.DataIn;
import dev.lunar.agent.iscsi.pdu.DataOut;
import dev.lunar.agent.iscsi.pdu.NopIn;
import dev.lunar.agent.iscsi.pdu.Pdu;
import dev.lunar.agent.iscsi.pdu.ReadyToTransfer;
import dev.lunar.agent.iscsi.pdu.Reject;
import dev.lunar.agent.iscsi.pdu.RejectReason;
import dev.lunar.agent.iscsi.session.LunAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The full feature phase over TCP: R2T flow, Data-In, rejects, the command window, text. */
class FullFeaturePhaseTest {

  private static final long ISID = 0x23d000000002L;
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void writeSolicitedByR2tsOfMaxBurstLengthReadsBackIdentical() throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator initiator = target.initiator()) {
      initiator.login(
          InProcessTarget.IQN,
          ISID,
          0,
          0,
          Map.of("ImmediateData", "No", "InitialR2T", "Yes", "MaxBurstLength", "16384"));
      byte[] content = new byte[64 * 1024];
      new Random(3).nextBytes(content);
      initiator.takePowerOnAttention();
      int itt = initiator.nextItt();

      initiator.send(
          Pdus.write10(
              itt,
              initiator.takeCmdSn(),
              initiator.expStatSn(),
              8,
              128,
              Unpooled.EMPTY_BUFFER,
              true));
      int r2ts = 0;
      Pdu pdu = initiator.receive(WAIT);
      while (pdu instanceof ReadyToTransfer r2t) {
        assertThat(r2t.desiredDataTransferLength()).isLessThanOrEqualTo(16384);
        assertThat(r2t.r2tSn()).isEqualTo(r2ts++);
        sendBurst(initiator, r2t, content);
        pdu = initiator.receive(WAIT);
      }
      assertThat(r2ts).isEqualTo(4);
      assertThat(Pdus.statusOf(pdu)).isZero();

      assertThat(readBack(initiator, 8, 128)).isEqualTo(content);
    }
  }

  /** Answers one R2T with Data-Out PDUs of at most 8 KiB, DataSN counting from 0. */
  static void sendBurst(RawInitiator initiator, ReadyToTransfer r2t, byte[] content) {
    int end = r2t.bufferOffset() + r2t.desiredDataTransferLength();
    int dataSn = 0;
    for (int offset = r2t.bufferOffset(); offset < end; offset += 8192) {
      int length = Math.min(8192, end - offset);
      initiator.send(
          new DataOut(
              offset + length == end,
              r2t.lun(),
              r2t.itt(),
              r2t.ttt(),
              initiator.expStatSn(),
              dataSn++,
              offset,
              Unpooled.wrappedBuffer(content, offset, length)));
    }
  }

  /** READ (10) of {@code blocks} at {@code lba}, Data-In reassembled; the status must be GOOD. */
  static byte[] readBack(RawInitiator initiator, int lba, int blocks) {
    initiator.send(
        Pdus.read10(
            initiator.nextItt(), initiator.takeCmdSn(), initiator.expStatSn(), lba, blocks));
    byte[] read = new byte[blocks * 512];
    int received = 0;
    int expectedDataSn = 0;
    while (true) {
      DataIn in = (DataIn) initiator.receive(WAIT);
      assertThat(in.dataSn()).isEqualTo(expectedDataSn++);
      ByteBuf data = in.data();
      data.getBytes(data.readerIndex(), read, in.bufferOffset(), data.readableBytes());
      received += data.readableBytes();
      data.release();
      if (in.statusPresent()) {
        assertThat(in.status()).isZero();
        break;
      }
    }
    assertThat(received).isEqualTo(read.length);
    return read;
  }

  @Test
  void unknownOpcodeIsRejectedAndTheConnectionCarriesOn() throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator initiator = target.initiator()) {
      initiator.login(InProcessTarget.IQN, ISID, 0, 0, Map.of());
      byte[] bhs = new byte[48];
      bhs[0] = 0x1d; // an initiator opcode RFC 7143 does not define
      bhs[1] = (byte) 0x80;

      initiator.sendRaw(bhs);
      Pdu reject = initiator.receive(WAIT);
      initiator.send(Pdus.ping(initiator.nextItt(), initiator.cmdSn(), initiator.expStatSn()));
      Pdu pong = initiator.receive(WAIT);

      assertThat(reject).isInstanceOf(Reject.class);
      assertThat(((Reject) reject).reason()).isEqualTo(RejectReason.COMMAND_NOT_SUPPORTED.value());
      assertThat(Arrays.copyOf(bytes(reject.data()), 1)).containsExactly(0x1d);
      assertThat(pong).isInstanceOf(NopIn.class);
      pong.data().release();
    }
  }

  @Test
  void aCommandOutsideTheWindowIsDroppedSilently() throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator initiator = target.initiator()) {
      initiator.login(InProcessTarget.IQN, ISID, 0, 0, Map.of());

      initiator.send(
          Pdus.inquiry(initiator.nextItt(), initiator.cmdSn() + 1000, initiator.expStatSn()));
      Pdu nothing = initiator.poll(Duration.ofMillis(500));
      initiator.send(
          Pdus.inquiry(initiator.nextItt(), initiator.takeCmdSn(), initiator.expStatSn()));

      assertThat(nothing).isNull();
      assertThat(Pdus.statusOf(initiator.receive(WAIT))).isZero();
    }
  }

  @Test
  void sendTargetsInANormalSessionListsTheTargetAndItsPortal() throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator initiator = target.initiator()) {
      initiator.login(InProcessTarget.IQN, ISID, 0, 0, Map.of());

      List<TextParameter> answer = initiator.text("SendTargets=All");

      assertThat(answer).isEqualTo(InProcessTarget.SEND_TARGETS_RECORD);
    }
  }

  @Test
  void readOfALunTheTargetDoesNotHaveFailsWithLogicalUnitNotSupported() throws Exception {
    try (InProcessTarget target = new InProcessTarget();
        RawInitiator initiator = target.initiator()) {
      initiator.login(InProcessTarget.IQN, ISID, 0, 0, Map.of());
      byte[] cdb = new byte[16];
      cdb[0] = 0x28;
      cdb[8] = 1;

      initiator.send(
          new dev.lunar.agent.iscsi.pdu.ScsiCommand(
              false,
              true,
              true,
              false,
              1,
              LunAddress.encode(7),
              initiator.nextItt(),
              512,
              initiator.takeCmdSn(),
              initiator.expStatSn(),
              cdb,
              0,
              Unpooled.EMPTY_BUFFER));
      var response = (dev.lunar.agent.iscsi.pdu.ScsiResponse) initiator.receive(WAIT);

      byte[] sense = bytes(response.data());
      assertThat(response.status()).isEqualTo(2);
      assertThat(sense[2 + 2] & 0x0f).isEqualTo(5); // ILLEGAL REQUEST
      assertThat(sense[2 + 12] & 0xff).isEqualTo(0x25); // LOGICAL UNIT NOT SUPPORTED
    }
  }

  private static byte[] bytes(ByteBuf data) {
    try {
      byte[] bytes = new byte[data.readableBytes()];
      data.getBytes(data.readerIndex(), bytes);
      return bytes;
    } finally {
      data.release();
    }
  }
}
