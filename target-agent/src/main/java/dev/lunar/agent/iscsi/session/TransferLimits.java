package dev.lunar.agent.iscsi.session;

/**
 * The negotiated values the full feature phase needs, in one place (RFC 7143 section 13).
 *
 * @param maxSendSegment the initiator's MaxRecvDataSegmentLength: the most data Lunar puts in one
 *     PDU
 * @param maxRecvSegment Lunar's own MaxRecvDataSegmentLength: the most the decoder accepts
 * @param initialR2t when true the initiator sends no unsolicited Data-Out PDUs
 * @param immediateData whether the SCSI Command PDU may carry write data
 * @param firstBurstLength the most unsolicited data (immediate plus Data-Out) per command
 * @param maxBurstLength the most data one R2T may ask for
 * @param maxOutstandingR2t R2Ts that may be open at once per command
 * @param headerDigest CRC32C on headers
 * @param dataDigest CRC32C on data segments
 */
public record TransferLimits(
    int maxSendSegment,
    int maxRecvSegment,
    boolean initialR2t,
    boolean immediateData,
    int firstBurstLength,
    int maxBurstLength,
    int maxOutstandingR2t,
    boolean headerDigest,
    boolean dataDigest) {

  /** These limits with another {@link #maxSendSegment}. */
  public TransferLimits withMaxSendSegment(int maxSendSegment) {
    return new TransferLimits(
        maxSendSegment,
        maxRecvSegment,
        initialR2t,
        immediateData,
        firstBurstLength,
        maxBurstLength,
        maxOutstandingR2t,
        headerDigest,
        dataDigest);
  }

  /** The values that apply before anything is negotiated (login phase, RFC 7143 section 13). */
  public static TransferLimits defaults() {
    return new TransferLimits(8192, 8192, true, true, 65536, 262144, 1, false, false);
  }
}
