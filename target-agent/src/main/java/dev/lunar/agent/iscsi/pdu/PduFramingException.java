package dev.lunar.agent.iscsi.pdu;

import io.netty.handler.codec.DecoderException;

/**
 * PDU boundaries on the connection can no longer be trusted (a length over its limit, a header
 * digest mismatch). {@link PduDecoder} discards everything after it; the session closes the
 * connection.
 */
public final class PduFramingException extends DecoderException {

  public PduFramingException(String message) {
    super(message);
  }
}
