package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Objects;

/**
 * A well framed PDU that {@link PduDecoder} could not turn into a record: data digest mismatch,
 * unknown opcode, or a field that makes no sense. The connection stays usable; the session answers
 * with a Reject carrying {@code rejectReason} and the rejected header.
 *
 * <p>This is a {@link Pdu} so that a switch over decoded PDUs must handle it. It owns {@code bhs},
 * the rejected 48-byte header, and {@link #data()} returns that same buffer: pass it on as the data
 * of the {@link Reject} (which then owns it), or release it. Decode-only: {@link PduEncoder}
 * refuses it and {@link #writeBhs} throws.
 *
 * @param opcodeOrNull the decoded opcode, {@code null} for an unknown one; also {@link #opcode()}
 * @param rawOpcode the six-bit opcode from BHS byte 0
 * @param itt the Initiator Task Tag from bytes 16-19
 * @param bhs the complete rejected BHS
 * @param reason what was wrong, for logs
 * @param rejectReason the {@link RejectReason#value()} to answer with
 */
public record InvalidPdu(
    Opcode opcodeOrNull, int rawOpcode, int itt, ByteBuf bhs, String reason, int rejectReason)
    implements Pdu {

  public InvalidPdu {
    Objects.requireNonNull(bhs, "bhs");
    Objects.requireNonNull(reason, "reason");
  }

  /** The decoded opcode, or {@code null} when the raw code is unknown. */
  @Override
  public Opcode opcode() {
    return opcodeOrNull;
  }

  /** The rejected BHS, the buffer this record owns. */
  @Override
  public ByteBuf data() {
    return bhs;
  }

  @Override
  public void writeBhs(ByteBuf out) {
    throw new UnsupportedOperationException("InvalidPdu is decode-only");
  }

  @Override
  public String toString() {
    return "InvalidPdu[opcode=0x%02x, itt=0x%08x, reason=%s, rejectReason=0x%02x, bhs=%s]"
        .formatted(
            rawOpcode,
            itt,
            reason,
            rejectReason,
            bhs.refCnt() > 0 ? ByteBufUtil.hexDump(bhs) : "released");
  }
}
