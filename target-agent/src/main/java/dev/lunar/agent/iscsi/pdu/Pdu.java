package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One iSCSI PDU (RFC 7143 section 11): a 48-byte Basic Header Segment, optional Additional Header
 * Segments and a data segment.
 *
 * <p>Ownership: a PDU owns its {@link #data()} buffer. Whoever receives a PDU from {@link
 * PduDecoder} releases it with {@code pdu.data().release()}; whoever writes one to a channel with
 * {@link PduEncoder} hands that buffer to the encoder, which releases it once sent. {@link
 * InvalidPdu} is the only kind the encoder refuses: it reports a PDU that could not be decoded.
 */
public sealed interface Pdu
    permits AsyncMessage,
        DataIn,
        DataOut,
        InvalidPdu,
        LoginRequest,
        LoginResponse,
        LogoutRequest,
        LogoutResponse,
        NopIn,
        NopOut,
        ReadyToTransfer,
        Reject,
        ScsiCommand,
        ScsiResponse,
        SnackRequest,
        TaskManagementRequest,
        TaskManagementResponse,
        TextRequest,
        TextResponse {

  /** The PDU kind. */
  Opcode opcode();

  /** The data segment without padding; {@link Unpooled#EMPTY_BUFFER} when the PDU carries none. */
  default ByteBuf data() {
    return Unpooled.EMPTY_BUFFER;
  }

  /** Length of the data segment without padding: {@link #data()}'s, unless the PDU says else. */
  default int dataLength() {
    return data().readableBytes();
  }

  /** Releases what the PDU owns: its data, for one never handed to the encoder. */
  default void release() {
    data().release();
  }

  /**
   * Writes the 48-byte BHS, with TotalAHSLength taken from {@link #ahsLength()} and
   * DataSegmentLength from {@link #data()}.
   */
  void writeBhs(ByteBuf out);

  /** Length in bytes of all AHS together, padding included (a multiple of 4). */
  default int ahsLength() {
    return 0;
  }

  /** Writes the AHS ({@link #ahsLength()} bytes); nothing for PDUs without one. */
  default void writeAhs(ByteBuf out) {}
}
