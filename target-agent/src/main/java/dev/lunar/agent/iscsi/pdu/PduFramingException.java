package dev.lunar.agent.iscsi.pdu;

import io.netty.handler.codec.DecoderException;

/**
 * PDU boundaries on the connection can no longer be trusted (a length over its limit, a header
 * digest mismatch). {@link PduDecoder} discards everything after it; the session closes the
 * connection. The {@link #kind()} says which, for those that count or log it; the message is for
 * people.
 */
public final class PduFramingException extends DecoderException {

  /** What lost the framing. */
  public enum Kind {
    /** TotalAHSLength above what the decoder accepts. */
    AHS_TOO_LONG,
    /** DataSegmentLength above the negotiated MaxRecvDataSegmentLength. */
    DATA_SEGMENT_TOO_LONG,
    /** The header digest (CRC32C) does not match the header. */
    HEADER_DIGEST_MISMATCH
  }

  private final Kind kind;

  public PduFramingException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
