package dev.lunar.agent.iscsi.pdu;

/**
 * A field of an otherwise well framed PDU cannot be decoded. {@link PduDecoder} turns it into an
 * {@link InvalidPdu} carrying {@link #rejectReason()}.
 */
final class PduFieldException extends RuntimeException {

  private final RejectReason rejectReason;

  PduFieldException(RejectReason rejectReason, String message) {
    super(message, null, false, false);
    this.rejectReason = rejectReason;
  }

  RejectReason rejectReason() {
    return rejectReason;
  }
}
