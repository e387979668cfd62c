package dev.lunar.agent.iscsi.login;

/**
 * The operational parameters in force after login (RFC 7143 13): the {@link TargetOffer} combined
 * with the initiator's. The session layer keeps the part its data path reads as {@code
 * TransferLimits}. On a connection that joins an existing session, the leading-only (session-wide)
 * fields hold the RFC defaults: use the session's values for those.
 *
 * @param headerDigest digest on every PDU header of this connection
 * @param dataDigest digest on every data segment of this connection
 * @param maxConnections connections the session may have
 * @param initialR2T whether the initiator must wait for an R2T before sending non-immediate data
 * @param immediateData whether data may ride in the SCSI Command PDU
 * @param initiatorMaxRecvDataSegmentLength the largest data segment WE may send (the initiator's
 *     declaration, capped by our own transmit limit)
 * @param targetMaxRecvDataSegmentLength the largest data segment we accept (our declaration)
 * @param maxBurstLength largest solicited or Data-In sequence
 * @param firstBurstLength largest unsolicited data per command
 * @param defaultTime2Wait seconds to wait before reconnecting after a drop
 * @param defaultTime2Retain seconds a task stays reassignable after a drop
 * @param maxOutstandingR2T R2Ts that may be outstanding per task
 * @param dataPduInOrder whether Data PDUs within a sequence come in increasing offset order
 * @param dataSequenceInOrder whether sequences come in increasing offset order
 * @param errorRecoveryLevel the recovery level of the session
 * @param protocolLevel the negotiated iSCSIProtocolLevel (RFC 7144)
 */
public record NegotiatedParameters(
    Digest headerDigest,
    Digest dataDigest,
    int maxConnections,
    boolean initialR2T,
    boolean immediateData,
    int initiatorMaxRecvDataSegmentLength,
    int targetMaxRecvDataSegmentLength,
    int maxBurstLength,
    int firstBurstLength,
    int defaultTime2Wait,
    int defaultTime2Retain,
    int maxOutstandingR2T,
    boolean dataPduInOrder,
    boolean dataSequenceInOrder,
    int errorRecoveryLevel,
    int protocolLevel) {

  /** The RFC 7143 defaults: what applies to every key nobody negotiated. */
  public static NegotiatedParameters rfcDefaults() {
    return new NegotiatedParameters(
        Digest.NONE,
        Digest.NONE,
        1,
        true,
        true,
        8192,
        8192,
        262144,
        65536,
        2,
        20,
        1,
        true,
        true,
        0,
        1);
  }
}
