package dev.lunar.agent.iscsi.pdu;

import static dev.lunar.agent.iscsi.pdu.InitiatorFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Decoding hand-built initiator PDUs field by field, and the three framing cases. */
class PduDecoderTest {

  private final PduDecoder decoder = new PduDecoder();
  private final TrackedChannel channel = new TrackedChannel(decoder);

  @BeforeAll
  static void paranoidLeakDetection() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @AfterEach
  void nothingLeftOver() {
    assertThat(channel.finishAndReleaseAll()).as("unread inbound messages").isFalse();
    channel.assertAllReleased();
  }

  @SuppressWarnings("unchecked")
  private <T extends Pdu> T decode(String fixture) {
    assertThat(channel.writeInbound(Hex.buf(fixture))).isTrue();
    Pdu pdu = channel.readInbound();
    Object more = channel.readInbound();
    assertThat(more).isNull();
    return (T) pdu;
  }

  private static String text(ByteBuf data) {
    return data.toString(java.nio.charset.StandardCharsets.US_ASCII);
  }

  @Test
  void nopOutPing() {
    NopOut nop = decode(NOP_OUT_PING);
    assertThat(nop.immediate()).isTrue();
    assertThat(nop.lun()).isZero();
    assertThat(nop.itt()).isEqualTo(0x10);
    assertThat(nop.ttt()).isEqualTo(0xffffffff);
    assertThat(nop.cmdSn()).isEqualTo(0x21);
    assertThat(nop.expStatSn()).isEqualTo(0x33);
    assertThat(text(nop.data())).isEqualTo("ping");
    nop.data().release();
  }

  @Test
  void scsiRead10() {
    ScsiCommand command = decode(SCSI_READ_10);
    assertThat(command.immediate()).isFalse();
    assertThat(command.finalFlag()).isTrue();
    assertThat(command.read()).isTrue();
    assertThat(command.write()).isFalse();
    assertThat(command.taskAttribute()).isEqualTo(1);
    assertThat(command.lun()).isEqualTo(0x0001_0000_0000_0000L);
    assertThat(command.itt()).isEqualTo(0x2a);
    assertThat(command.expectedDataTransferLength()).isEqualTo(4096);
    assertThat(command.cmdSn()).isEqualTo(0x100);
    assertThat(command.expStatSn()).isEqualTo(0x200);
    assertThat(command.cdb()).isEqualTo(Hex.bytes("28000000000800000800000000000000"));
    assertThat(command.bidiReadLength()).isZero();
    assertThat(command.data()).isSameAs(Unpooled.EMPTY_BUFFER);
    assertThat(command.toString()).startsWith("ScsiCommand[itt=0x0000002a").contains("cdb=28");
  }

  @Test
  void scsiWriteWithImmediateData() {
    ScsiCommand command = decode(SCSI_WRITE_10_IMMEDIATE_DATA);
    assertThat(command.write()).isTrue();
    assertThat(command.read()).isFalse();
    assertThat(command.expectedDataTransferLength()).isEqualTo(512);
    assertThat(Hex.dump(command.data())).isEqualTo("0102030405060708");
    command.data().release();
  }

  @Test
  void scsiCommandAssemblesExtendedCdbAndBidiLengthFromAhs() {
    ScsiCommand command = decode(SCSI_BIDI_32_BYTE_CDB);
    assertThat(command.read()).isTrue();
    assertThat(command.write()).isTrue();
    assertThat(command.cdb()).hasSize(32);
    assertThat(Hex.dump(Unpooled.wrappedBuffer(command.cdb())))
        .isEqualTo("7f0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    assertThat(command.bidiReadLength()).isEqualTo(8192);
  }

  @Test
  void scsiCommandWithUnknownAhsTypeYieldsInvalidPdu() {
    InvalidPdu invalid = decode(SCSI_UNKNOWN_AHS_TYPE);
    assertThat(invalid.opcodeOrNull()).isEqualTo(Opcode.SCSI_COMMAND);
    assertThat(invalid.itt()).isEqualTo(0x2d);
    assertThat(invalid.rejectReason()).isEqualTo(RejectReason.INVALID_PDU_FIELD.value());
    assertThat(invalid.bhs().readableBytes()).isEqualTo(48);
    invalid.data().release();
  }

  @Test
  void taskManagementAbortTask() {
    TaskManagementRequest tmf = decode(TMF_ABORT_TASK);
    assertThat(tmf.immediate()).isTrue();
    assertThat(tmf.function()).isEqualTo(TaskManagementFunction.ABORT_TASK);
    assertThat(tmf.functionCode()).isEqualTo(1);
    assertThat(tmf.lun()).isEqualTo(0x0001_0000_0000_0000L);
    assertThat(tmf.itt()).isEqualTo(0x30);
    assertThat(tmf.referencedTaskTag()).isEqualTo(0x2a);
    assertThat(tmf.cmdSn()).isEqualTo(0x102);
    assertThat(tmf.expStatSn()).isEqualTo(0x201);
    assertThat(tmf.refCmdSn()).isEqualTo(0x100);
    assertThat(tmf.expDataSn()).isZero();
  }

  @Test
  void taskManagementUnknownFunctionStillDecodesWithItsRawCode() {
    TaskManagementRequest tmf = decode(TMF_UNKNOWN_FUNCTION);
    assertThat(tmf.function()).isEqualTo(TaskManagementFunction.UNKNOWN);
    assertThat(tmf.functionCode()).isEqualTo(14);
    assertThat(tmf.referencedTaskTag()).isEqualTo(0xffffffff);
  }

  @Test
  void loginRequest() {
    LoginRequest login = decode(LOGIN_REQUEST);
    assertThat(login.transit()).isTrue();
    assertThat(login.cont()).isFalse();
    assertThat(login.csg()).isEqualTo(1);
    assertThat(login.nsg()).isEqualTo(3);
    assertThat(login.versionMax()).isZero();
    assertThat(login.versionMin()).isZero();
    assertThat(login.isid()).isEqualTo(0x023d_0000_0001L);
    assertThat(login.tsih()).isZero();
    assertThat(login.itt()).isEqualTo(0x0a0b0c0d);
    assertThat(login.cid()).isEqualTo(1);
    assertThat(login.cmdSn()).isEqualTo(1);
    assertThat(login.expStatSn()).isZero();
    assertThat(text(login.data())).isEqualTo("HeaderDigest=None\0");
    login.data().release();
  }

  @Test
  void textRequestSendTargets() {
    TextRequest request = decode(TEXT_SEND_TARGETS);
    assertThat(request.immediate()).isTrue();
    assertThat(request.finalFlag()).isTrue();
    assertThat(request.cont()).isFalse();
    assertThat(request.lun()).isZero();
    assertThat(request.itt()).isEqualTo(0x40);
    assertThat(request.ttt()).isEqualTo(0xffffffff);
    assertThat(request.cmdSn()).isEqualTo(5);
    assertThat(request.expStatSn()).isEqualTo(6);
    assertThat(text(request.data())).isEqualTo("SendTargets=All\0");
    request.data().release();
  }

  @Test
  void dataOut() {
    DataOut data = decode(DATA_OUT);
    assertThat(data.finalFlag()).isTrue();
    assertThat(data.lun()).isEqualTo(0x0001_0000_0000_0000L);
    assertThat(data.itt()).isEqualTo(0x2b);
    assertThat(data.ttt()).isEqualTo(0x1000);
    assertThat(data.expStatSn()).isEqualTo(0x201);
    assertThat(data.dataSn()).isEqualTo(3);
    assertThat(data.bufferOffset()).isEqualTo(0x2000);
    assertThat(text(data.data())).isEqualTo("abcdef");
    data.data().release();
  }

  @Test
  void logoutRequest() {
    LogoutRequest logout = decode(LOGOUT_CLOSE_CONNECTION);
    assertThat(logout.immediate()).isTrue();
    assertThat(logout.reasonCode()).isEqualTo(1);
    assertThat(logout.itt()).isEqualTo(0x50);
    assertThat(logout.cid()).isEqualTo(2);
    assertThat(logout.cmdSn()).isEqualTo(0x103);
    assertThat(logout.expStatSn()).isEqualTo(0x202);
  }

  @Test
  void snackRequest() {
    SnackRequest snack = decode(SNACK_STATUS);
    assertThat(snack.type()).isEqualTo(1);
    assertThat(snack.lun()).isZero();
    assertThat(snack.itt()).isEqualTo(0xffffffff);
    assertThat(snack.ttt()).isZero();
    assertThat(snack.expStatSn()).isEqualTo(0x203);
    assertThat(snack.begRun()).isEqualTo(5);
    assertThat(snack.runLength()).isEqualTo(2);
  }

  @Test
  void wholePduInOneBuffer() {
    NopOut nop = decode(NOP_OUT_PING);
    assertThat(nop.itt()).isEqualTo(0x10);
    nop.data().release();
    assertThat(decoder.state()).isEqualTo(PduDecoder.State.READ_BHS);
  }

  @Test
  void dripFedThreeBytesAtATime() {
    byte[] wire = Hex.bytes(LOGIN_REQUEST + SCSI_BIDI_32_BYTE_CDB + DATA_OUT);
    List<Pdu> pdus = new ArrayList<>();
    for (int i = 0; i < wire.length; i += 3) {
      channel.writeInbound(Unpooled.copiedBuffer(wire, i, Math.min(3, wire.length - i)));
      for (Pdu pdu; (pdu = channel.readInbound()) != null; ) {
        pdus.add(pdu);
      }
    }
    assertThat(pdus)
        .extracting(Pdu::opcode)
        .containsExactly(Opcode.LOGIN_REQUEST, Opcode.SCSI_COMMAND, Opcode.DATA_OUT);
    assertThat(text(pdus.get(0).data())).isEqualTo("HeaderDigest=None\0");
    assertThat(((ScsiCommand) pdus.get(1)).cdb()).hasSize(32);
    assertThat(text(pdus.get(2).data())).isEqualTo("abcdef");
    pdus.forEach(pdu -> pdu.data().release());
  }

  @Test
  void twoPdusInOneBuffer() {
    assertThat(channel.writeInbound(Hex.buf(NOP_OUT_PING + SCSI_READ_10))).isTrue();
    NopOut nop = channel.readInbound();
    ScsiCommand command = channel.readInbound();
    assertThat(text(nop.data())).isEqualTo("ping");
    assertThat(command.itt()).isEqualTo(0x2a);
    nop.data().release();
  }

  @Test
  void unknownOpcodeYieldsInvalidPduAndTheNextPduStillDecodes() {
    assertThat(channel.writeInbound(Hex.buf(UNKNOWN_OPCODE + NOP_OUT_PING))).isTrue();
    InvalidPdu invalid = channel.readInbound();
    assertThat(invalid.opcodeOrNull()).isNull();
    assertThat(invalid.opcode()).isNull();
    assertThat(invalid.rawOpcode()).isEqualTo(0x1c);
    assertThat(invalid.itt()).isEqualTo(0x77);
    assertThat(invalid.rejectReason()).isEqualTo(RejectReason.COMMAND_NOT_SUPPORTED.value());
    assertThat(invalid.data()).isSameAs(invalid.bhs());
    assertThat(Hex.dump(invalid.bhs())).startsWith("1c800000");
    invalid.data().release();

    NopOut nop = channel.readInbound();
    assertThat(text(nop.data())).isEqualTo("ping");
    nop.data().release();
  }
}
