package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Dispatches a framed PDU to the record decoder for its opcode. */
final class PduFactory {

  private PduFactory() {}

  /**
   * Decodes one framed PDU. Takes ownership of {@code bhs} and {@code data} (the record keeps
   * {@code data} or it is released here); {@code ahs} stays the caller's.
   */
  static Pdu decode(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    int rawOpcode = bhs.getByte(0) & Bhs.OPCODE_MASK;
    Opcode opcode = Opcode.find(rawOpcode);
    Pdu pdu;
    try {
      if (opcode == null) {
        throw new PduFieldException(
            RejectReason.COMMAND_NOT_SUPPORTED,
            "unknown opcode 0x" + Integer.toHexString(rawOpcode));
      }
      pdu = decode(opcode, bhs, ahs, data);
    } catch (PduFieldException e) {
      data.release();
      return invalid(bhs, e.getMessage(), e.rejectReason());
    } catch (RuntimeException | Error e) {
      data.release();
      bhs.release();
      throw e;
    }
    if (pdu.data() != data) {
      // Kinds without a data segment ignore one sent anyway.
      data.release();
    }
    bhs.release();
    return pdu;
  }

  /** Wraps a rejected header, taking ownership of {@code bhs}. */
  static InvalidPdu invalid(ByteBuf bhs, String reason, RejectReason rejectReason) {
    int rawOpcode = bhs.getByte(0) & Bhs.OPCODE_MASK;
    return new InvalidPdu(
        Opcode.find(rawOpcode),
        rawOpcode,
        bhs.getInt(Bhs.ITT_OFFSET),
        bhs,
        reason,
        rejectReason.value());
  }

  private static Pdu decode(Opcode opcode, ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    return switch (opcode) {
      case NOP_OUT -> NopOut.decode(bhs, ahs, data);
      case SCSI_COMMAND -> ScsiCommand.decode(bhs, ahs, data);
      case TASK_MANAGEMENT_REQUEST -> TaskManagementRequest.decode(bhs, ahs, data);
      case LOGIN_REQUEST -> LoginRequest.decode(bhs, ahs, data);
      case TEXT_REQUEST -> TextRequest.decode(bhs, ahs, data);
      case DATA_OUT -> DataOut.decode(bhs, ahs, data);
      case LOGOUT_REQUEST -> LogoutRequest.decode(bhs, ahs, data);
      case SNACK_REQUEST -> SnackRequest.decode(bhs, ahs, data);
      case NOP_IN -> NopIn.decode(bhs, ahs, data);
      case SCSI_RESPONSE -> ScsiResponse.decode(bhs, ahs, data);
      case TASK_MANAGEMENT_RESPONSE -> TaskManagementResponse.decode(bhs, ahs, data);
      case LOGIN_RESPONSE -> LoginResponse.decode(bhs, ahs, data);
      case TEXT_RESPONSE -> TextResponse.decode(bhs, ahs, data);
      case DATA_IN -> DataIn.decode(bhs, ahs, data);
      case LOGOUT_RESPONSE -> LogoutResponse.decode(bhs, ahs, data);
      case R2T -> ReadyToTransfer.decode(bhs, ahs, data);
      case ASYNC_MESSAGE -> AsyncMessage.decode(bhs, ahs, data);
      case REJECT -> Reject.decode(bhs, ahs, data);
    };
  }
}
