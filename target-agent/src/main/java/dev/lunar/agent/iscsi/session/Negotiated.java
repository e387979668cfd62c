package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.iscsi.login.Digest;
import dev.lunar.agent.iscsi.login.NegotiatedParameters;

/** Turns the login's negotiated parameters into the limits the full feature phase works with. */
final class Negotiated {

  private Negotiated() {}

  /** Limits of a leading connection: everything comes from its own login. */
  static TransferLimits limits(NegotiatedParameters p) {
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

  static int maxConnections(NegotiatedParameters p) {
    return Math.max(1, p.maxConnections());
  }
}
