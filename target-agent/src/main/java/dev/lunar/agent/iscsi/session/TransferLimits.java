package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.iscsi.login.Digest;
import dev.lunar.agent.iscsi.login.NegotiatedParameters;

/**
 * What one connection's full feature phase works with, taken from the login's {@link
 * NegotiatedParameters} (RFC 7143 section 13): the data limits of the connection and of its
 * session, and whether digests are on. The login offers ({@code TargetOffer}), negotiates ({@code
 * NegotiatedParameters}); this is the part the data path reads.
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

  /** Limits of a leading connection: everything comes from its own login. */
  static TransferLimits leading(NegotiatedParameters p) {
    return new TransferLimits(
        p.initiatorMaxRecvDataSegmentLength(),
        p.targetMaxRecvDataSegmentLength(),
        p.initialR2T(),
        p.immediateData(),
        p.firstBurstLength(),
        p.maxBurstLength(),
        p.maxOutstandingR2T(),
        p.headerDigest() == Digest.CRC32C,
        p.dataDigest() == Digest.CRC32C);
  }

  /**
   * Limits of a connection joining a session: digests and data segment lengths are per connection,
   * the rest is the session's (RFC 7143 section 13: LO keys are negotiated on the leading login).
   */
  static TransferLimits joining(NegotiatedParameters p, TransferLimits session) {
    return new TransferLimits(
        p.initiatorMaxRecvDataSegmentLength(),
        p.targetMaxRecvDataSegmentLength(),
        session.initialR2t(),
        session.immediateData(),
        session.firstBurstLength(),
        session.maxBurstLength(),
        session.maxOutstandingR2t(),
        p.headerDigest() == Digest.CRC32C,
        p.dataDigest() == Digest.CRC32C);
  }

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
