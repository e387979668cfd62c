package dev.lunar.agent.iscsi.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.iscsi.pdu.DataIn;
import dev.lunar.agent.iscsi.pdu.Pdu;
import dev.lunar.agent.iscsi.pdu.PduDecoder;
import dev.lunar.agent.iscsi.pdu.ReadyToTransfer;
import dev.lunar.agent.iscsi.pdu.Reject;
import dev.lunar.agent.iscsi.pdu.RejectReason;
import dev.lunar.agent.iscsi.pdu.ScsiResponse;
import dev.lunar.agent.scsi.ScsiResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** One connection's SCSI commands on an EmbeddedChannel: intake, Data-Out and R2Ts, answers. */
class CommandFlowTest {

  private final FakeUnit unit = new FakeUnit(1);
  @AutoClose private final EmbeddedSession target = new EmbeddedSession(Map.of(1, unit));

  private static byte[] bytes(int length, int seed) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void aWriteWithPartImmediateGetsOneR2tForTheRestAndIsAnsweredGood() {
    byte[] content = bytes(4096, 7);
    int itt = target.nextItt();
    target.send(target.write10(itt, 1, 8, Unpooled.wrappedBuffer(content, 0, 1024)));

    ReadyToTransfer r2t = (ReadyToTransfer) target.receivedOne();
    assertThat(r2t.itt()).isEqualTo(itt);
    assertThat(r2t.bufferOffset()).isEqualTo(1024);
    assertThat(r2t.desiredDataTransferLength()).isEqualTo(3072);
    assertThat(r2t.r2tSn()).isZero();

    target.send(
        target.dataOut(
            itt, r2t.ttt(), 0, 1024, java.util.Arrays.copyOfRange(content, 1024, 4096), true));
    ScsiResponse response = (ScsiResponse) target.receivedOne();
    assertThat(response.itt()).isEqualTo(itt);
    assertThat(response.status()).isEqualTo(ScsiResult.GOOD);
    assertThat(response.expDataSn()).as("one R2T sent").isEqualTo(1);
    assertThat(unit.dataOut).singleElement().isEqualTo(content);
  }

  @Test
  void aReadIsAnsweredWithCollapsedDataInAndItsReservationGoesBack() {
    int itt = target.nextItt();
    target.send(target.read10(itt, 1, 2));

    DataIn data = (DataIn) target.receivedOne();
    assertThat(data.statusPresent()).isTrue();
    assertThat(data.status()).isEqualTo(ScsiResult.GOOD);
    assertThat(ByteBufUtil.getBytes(data.data())).hasSize(1024).containsOnly(FakeUnit.READ_FILL);
    data.data().release();
    assertThat(target.registry.bufferedCommandBytes()).isZero();
    assertThat(target.session.tasks()).isEmpty();
  }

  @Test
  void dataOutOutOfDataSnOrderIsRejectedAndEndsTheCommandWithDataPhaseError() {
    int itt = target.nextItt();
    target.send(target.write10(itt, 1, 8, Unpooled.EMPTY_BUFFER));
    ReadyToTransfer r2t = (ReadyToTransfer) target.receivedOne();

    target.send(target.dataOut(itt, r2t.ttt(), 1, 0, bytes(512, 1), false));

    List<Pdu> answers = target.received();
    assertThat(answers).hasSize(2);
    assertThat(((Reject) answers.get(0)).reason()).isEqualTo(RejectReason.PROTOCOL_ERROR.value());
    ScsiResponse response = (ScsiResponse) answers.get(1);
    assertThat(response.status()).isEqualTo(ScsiResult.CHECK_CONDITION);
    byte[] sense = ByteBufUtil.getBytes(response.data());
    assertThat(sense[2 + 2]).as("sense key ABORTED COMMAND").isEqualTo((byte) 0x0b);
    assertThat(sense[2 + 12]).as("DATA PHASE ERROR").isEqualTo((byte) 0x4b);
    answers.forEach(p -> p.data().release());
    assertThat(unit.dataOut).isEmpty();
    assertThat(target.registry.bufferedCommandBytes()).isZero();

    target.send(target.dataOut(itt, r2t.ttt(), 0, 0, bytes(512, 1), false));
    assertThat(target.received()).as("later Data-Out for it is dropped").isEmpty();
  }

  /** A Data-Out as its bytes on the wire. */
  private ByteBuf dataOutBytes(int itt, int ttt, int dataSn, int offset, byte[] data) {
    return wireBytes(target.dataOut(itt, ttt, dataSn, offset, data, true));
  }

  /** A PDU as its bytes on the wire: BHS, then the data segment (whole blocks, so no pad). */
  private static ByteBuf wireBytes(Pdu pdu) {
    ByteBuf wire = Unpooled.buffer(48 + pdu.data().readableBytes());
    pdu.writeBhs(wire);
    wire.writeBytes(pdu.data());
    pdu.data().release();
    return wire;
  }

  @Test
  void aSolicitedDataOutIsReadStraightIntoItsWriteBuffer() {
    byte[] content = bytes(64 * 1024, 11);
    int itt = target.nextItt();
    target.send(target.write10(itt, 1, 128, Unpooled.EMPTY_BUFFER));
    ReadyToTransfer r2t = (ReadyToTransfer) target.receivedOne();

    ByteBuf wire = dataOutBytes(itt, r2t.ttt(), 0, 0, content);
    target.sendBytes(wire.readRetainedSlice(48 + 1000));
    assertThat(target.decoderState()).isEqualTo(PduDecoder.State.PLACE_DATA);
    target.sendBytes(wire);

    ScsiResponse response = (ScsiResponse) target.receivedOne();
    assertThat(response.status()).isEqualTo(ScsiResult.GOOD);
    assertThat(unit.dataOut).singleElement().isEqualTo(content);
    assertThat(target.registry.bufferedCommandBytes()).isZero();
  }

  @Test
  void immediateDataIsReadStraightIntoTheWriteBufferSetAsideForItsCommand() {
    byte[] content = bytes(256 * 1024, 14);
    int itt = target.nextItt();
    ByteBuf wire =
        wireBytes(target.write10(itt, 1, 512, Unpooled.wrappedBuffer(content, 0, 65536)));
    target.sendBytes(wire.readRetainedSlice(48 + 1000));
    assertThat(target.decoderState()).isEqualTo(PduDecoder.State.PLACE_DATA);
    assertThat(target.registry.bufferedCommandBytes())
        .as("the whole transfer reserved for it")
        .isEqualTo(content.length);
    target.sendBytes(wire);

    ReadyToTransfer r2t = (ReadyToTransfer) target.receivedOne();
    assertThat(r2t.bufferOffset()).isEqualTo(65536);
    target.send(
        target.dataOut(
            itt, r2t.ttt(), 0, 65536, java.util.Arrays.copyOfRange(content, 65536, 262144), true));
    ScsiResponse response = (ScsiResponse) target.receivedOne();
    assertThat(response.status()).isEqualTo(ScsiResult.GOOD);
    assertThat(unit.dataOut).singleElement().isEqualTo(content);
    assertThat(target.registry.bufferedCommandBytes()).isZero();
  }

  @Test
  void immediateDataForATaskTagInUseIsNotPlacedAndItsCommandIsRejected() {
    int itt = target.nextItt();
    target.send(target.write10(itt, 1, 8, Unpooled.EMPTY_BUFFER));
    target.received().forEach(p -> p.data().release());

    ByteBuf wire = wireBytes(target.write10(itt, 1, 128, Unpooled.wrappedBuffer(bytes(65536, 15))));
    target.sendBytes(wire.readRetainedSlice(48 + 1000));
    assertThat(target.decoderState()).isEqualTo(PduDecoder.State.READ_DATA);
    target.sendBytes(wire);

    Reject reject = (Reject) target.receivedOne();
    assertThat(reject.reason()).isEqualTo(RejectReason.TASK_IN_PROGRESS.value());
    reject.data().release();
    assertThat(target.registry.bufferedCommandBytes()).as("only the first write's").isEqualTo(4096);
  }

  @Test
  void aCommandThatDoesNotDecodeGivesTheBufferSetAsideForItsImmediateDataBack() {
    ByteBuf command =
        wireBytes(
            target.write10(target.nextItt(), 1, 128, Unpooled.wrappedBuffer(bytes(65536, 16))));
    // One AHS word of a type Lunar does not know: the header passes, the PDU does not decode.
    ByteBuf wire = Unpooled.buffer(48 + 4 + 65536);
    wire.writeBytes(command, 0, 48).setByte(4, 1);
    wire.writeShort(1).writeByte(0x7f).writeByte(0);
    wire.writeBytes(command, 48, 65536);
    command.release();
    target.sendBytes(wire.readRetainedSlice(48 + 4 + 1000));
    assertThat(target.decoderState()).isEqualTo(PduDecoder.State.PLACE_DATA);
    target.sendBytes(wire);

    Reject reject = (Reject) target.receivedOne();
    assertThat(reject.reason()).isEqualTo(RejectReason.INVALID_PDU_FIELD.value());
    reject.data().release();
    assertThat(target.registry.bufferedCommandBytes()).isZero();
  }

  @Test
  void aConnectionLostWhileImmediateDataIsPlacedGivesItsBufferBack() {
    ByteBuf wire =
        wireBytes(
            target.write10(target.nextItt(), 1, 256, Unpooled.wrappedBuffer(bytes(65536, 17))));
    target.sendBytes(wire.readRetainedSlice(48 + 1000));
    wire.release();
    assertThat(target.registry.bufferedCommandBytes()).isEqualTo(131072);

    target.channel.close();
    target.settle();
    assertThat(target.registry.bufferedCommandBytes()).isZero();
  }

  @Test
  void aDataOutOutsideItsR2tIsNotPlacedAndIsRejected() {
    int itt = target.nextItt();
    target.send(target.write10(itt, 1, 128, Unpooled.EMPTY_BUFFER));
    ReadyToTransfer r2t = (ReadyToTransfer) target.receivedOne();

    ByteBuf wire = dataOutBytes(itt, r2t.ttt(), 0, 32 * 1024, bytes(64 * 1024, 12));
    target.sendBytes(wire.readRetainedSlice(48 + 1000));
    assertThat(target.decoderState()).isEqualTo(PduDecoder.State.READ_DATA);
    target.sendBytes(wire);

    Reject reject = (Reject) target.receivedOne();
    assertThat(reject.reason()).isEqualTo(RejectReason.PROTOCOL_ERROR.value());
    reject.data().release();
    assertThat(unit.dataOut).isEmpty();
  }

  @Test
  void aDataOutOutOfDataSnOrderIsNotPlaced() {
    int itt = target.nextItt();
    target.send(target.write10(itt, 1, 128, Unpooled.EMPTY_BUFFER));
    ReadyToTransfer r2t = (ReadyToTransfer) target.receivedOne();

    ByteBuf wire = dataOutBytes(itt, r2t.ttt(), 1, 0, bytes(64 * 1024, 13));
    target.sendBytes(wire.readRetainedSlice(48 + 1000));
    assertThat(target.decoderState()).isEqualTo(PduDecoder.State.READ_DATA);
    target.sendBytes(wire);

    List<Pdu> answers = target.received();
    assertThat(answers).hasSize(2);
    assertThat(answers.get(1)).isInstanceOf(ScsiResponse.class);
    answers.forEach(Pdu::release);
    assertThat(unit.dataOut).isEmpty();
  }

  @Test
  void aCommandWithATaskTagInUseIsRejected() {
    int itt = target.nextItt();
    target.send(target.write10(itt, 1, 8, Unpooled.EMPTY_BUFFER));
    target.received().forEach(p -> p.data().release());

    target.send(target.testUnitReady(itt, 1));
    Reject reject = (Reject) target.receivedOne();
    assertThat(reject.reason()).isEqualTo(RejectReason.TASK_IN_PROGRESS.value());
    reject.data().release();
  }

  @Test
  void aCommandForALunTheTargetLacksIsLogicalUnitNotSupported() {
    target.send(target.testUnitReady(target.nextItt(), 7));
    target.runExecutor();
    ScsiResponse response = (ScsiResponse) target.receivedOne();
    assertThat(response.status()).isEqualTo(ScsiResult.CHECK_CONDITION);
    byte[] sense = ByteBufUtil.getBytes(response.data());
    assertThat(sense[2 + 2]).isEqualTo((byte) 0x05);
    assertThat(sense[2 + 12]).isEqualTo((byte) 0x25);
    response.data().release();
  }

  @Test
  void aCommandAheadOfItsTurnWaitsForTheOneBefore() {
    int first = target.nextItt();
    int second = target.nextItt();
    var earlier = target.read10(first, 1, 1);
    var later = target.read10(second, 1, 1);

    target.send(later);
    assertThat(target.received()).isEmpty();
    target.send(earlier);

    assertThat(target.received())
        .extracting(p -> ((DataIn) p).itt())
        .containsExactly(first, second);
  }

  @Test
  void aCommandThatIsNotAPlainReadOrWriteWaitsForTheExecutor() {
    int itt = target.nextItt();
    target.send(target.testUnitReady(itt, 1));
    assertThat(target.received()).isEmpty();
    assertThat(target.waitingForExecutor()).isEqualTo(1);

    target.runExecutor();
    assertThat(((ScsiResponse) target.receivedOne()).status()).isEqualTo(ScsiResult.GOOD);
  }

  @Test
  void aConnectionWhoseR2tsStayUnansweredIsClosed() {
    target.send(target.write10(target.nextItt(), 1, 8, Unpooled.EMPTY_BUFFER));
    assertThat(target.receivedOne()).isInstanceOf(ReadyToTransfer.class);

    target.channel.advanceTimeBy(
        2L * EmbeddedSession.DATA_OUT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    target.channel.runScheduledPendingTasks();
    target.settle();

    assertThat(target.channel.isOpen()).isFalse();
    assertThat(target.registry.bufferedCommandBytes()).as("its reservation went back").isZero();
  }
}
