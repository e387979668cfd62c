package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream of one iSCSI connection into {@link Pdu}s (RFC 7143 section 11.1 framing).
 *
 * <p>Wire order: BHS (48) · AHS (TotalAHSLength words) · header digest (4, when negotiated) · data
 * segment (DataSegmentLength) · 0-3 pad bytes · data digest (4, when negotiated and the segment is
 * not empty). Both lengths are checked against their limits as soon as the BHS is complete, before
 * anything else is buffered.
 *
 * <p>Outcomes: a decoded record; an {@link InvalidPdu} when the PDU was framed correctly but cannot
 * be used (data digest, unknown opcode, bad field) so the session can Reject it and carry on; or a
 * {@link PduFramingException} when framing is lost (length over limit, header digest), after which
 * every byte is discarded and the session must close the connection.
 *
 * <p>The setters take effect at the next PDU boundary. Data segments are retained slices of the
 * inbound buffer, not copies; except that the data of a large Data-Out, or the immediate data of a
 * large write command, that the session has accepted on its header is read into the write buffer it
 * belongs to, through {@link DataPlacement}, and handed on as that buffer's slice.
 */
public final class PduDecoder extends ByteToMessageDecoder {

  /** The decoder's progress through one PDU. */
  public enum State {
    /** Waiting for a complete 48-byte BHS; its length fields are validated here. */
    READ_BHS,
    /** BHS held; waiting for the AHS and the header digest, then verifying the digest. */
    READ_AHS,
    /** Header accepted; waiting for data segment, padding and data digest, then emitting. */
    READ_DATA,
    /**
     * A Data-Out's data segment, or a write command's immediate data, is being read into the write
     * buffer the session named; emitted when full. Only without data digest and padding.
     */
    PLACE_DATA,
    /** Framing lost; every further byte is discarded. */
    BAD_PDU
  }

  /** MaxRecvDataSegmentLength in force until login negotiates another (RFC 7143 section 13.12). */
  public static final int DEFAULT_MAX_RECV_DATA_SEGMENT_LENGTH = 8192;

  /**
   * Upper bound for TotalAHSLength in bytes. The only AHS defined are the Extended CDB (a 260-byte
   * CDB, the SPC-4 maximum, needs 4 + 244 bytes) and the 8-byte bidirectional read length.
   */
  static final int MAX_AHS_LENGTH = 256;

  private static final int DIGEST_LENGTH = 4;

  /**
   * Data segments from this size up are placed: below it, the header read and the bookkeeping cost
   * more than the copy they save.
   */
  static final int MIN_PLACED_LENGTH = 16 * 1024;

  private final DataPlacement placement;
  private volatile DataPlacement.Placer placer;
  private boolean placementAsked;
  private ByteBuf placed;

  private volatile boolean headerDigest;
  private volatile boolean dataDigest;
  private volatile int maxRecvDataSegmentLength = DEFAULT_MAX_RECV_DATA_SEGMENT_LENGTH;

  private final Crc32c crc = new Crc32c();
  private State state = State.READ_BHS;
  private boolean pduHeaderDigest;
  private boolean pduDataDigest;
  private int ahsLength;
  private int dataLength;
  private ByteBuf bhs;
  private ByteBuf ahs;

  /** A decoder that keeps every data segment in its cumulation (no placement). */
  public PduDecoder() {
    this(null);
  }

  /**
   * A decoder that can place Data-Out segments through {@code placement}, which must be the
   * channel's receive-buffer allocator, once a {@link #placer} is set.
   */
  public PduDecoder(DataPlacement placement) {
    this.placement = placement;
  }

  /**
   * Where accepted Data-Out segments and immediate write data go; null (the default) decodes them
   * like every other segment. Never together with a data digest, which must be checked before data
   * is accepted.
   */
  public void placer(DataPlacement.Placer placer) {
    this.placer = placer;
  }

  /** Expects a CRC32C header digest from the next PDU on. */
  public void headerDigest(boolean enabled) {
    headerDigest = enabled;
  }

  /** Expects a CRC32C data digest from the next PDU on. */
  public void dataDigest(boolean enabled) {
    dataDigest = enabled;
  }

  /** The largest data segment accepted from the next PDU on (512 to 2^24-1 bytes). */
  public void maxRecvDataSegmentLength(int bytes) {
    if (bytes < 512 || bytes > Bhs.MAX_DATA_SEGMENT_LENGTH) {
      throw new IllegalArgumentException("MaxRecvDataSegmentLength out of range: " + bytes);
    }
    maxRecvDataSegmentLength = bytes;
  }

  /** Where the decoder stands; for tests and diagnostics. */
  public State state() {
    return state;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (state == State.READ_BHS && !readBhs(in)) {
      return;
    }
    if (state == State.READ_AHS && !readAhs(in)) {
      return;
    }
    if (state == State.READ_DATA) {
      readData(in, out);
      return;
    }
    if (state == State.PLACE_DATA) {
      placeData(in, out);
      return;
    }
    if (state == State.BAD_PDU) {
      in.skipBytes(in.readableBytes());
    }
  }

  private boolean readBhs(ByteBuf in) {
    if (in.readableBytes() < Bhs.LENGTH) {
      return false;
    }
    int start = in.readerIndex();
    ahsLength = in.getUnsignedByte(start + 4) * 4;
    dataLength = in.getUnsignedMedium(start + 5);
    pduHeaderDigest = headerDigest;
    pduDataDigest = dataDigest;
    if (ahsLength > MAX_AHS_LENGTH) {
      throw framingLost(
          in,
          PduFramingException.Kind.AHS_TOO_LONG,
          "TotalAHSLength of " + ahsLength + " bytes exceeds " + MAX_AHS_LENGTH);
    }
    int limit = maxRecvDataSegmentLength;
    if (dataLength > limit) {
      throw framingLost(
          in,
          PduFramingException.Kind.DATA_SEGMENT_TOO_LONG,
          "DataSegmentLength of " + dataLength + " exceeds MaxRecvDataSegmentLength " + limit);
    }
    bhs = in.readRetainedSlice(Bhs.LENGTH);
    placementAsked = false;
    state = State.READ_AHS;
    return true;
  }

  private boolean readAhs(ByteBuf in) {
    if (in.readableBytes() < ahsLength + (pduHeaderDigest ? DIGEST_LENGTH : 0)) {
      return false;
    }
    ahs = ahsLength == 0 ? Unpooled.EMPTY_BUFFER : in.readRetainedSlice(ahsLength);
    if (pduHeaderDigest) {
      int expected = crc.reset().update(bhs).update(ahs).value();
      int received = in.readIntLE();
      if (received != expected) {
        throw framingLost(
            in,
            PduFramingException.Kind.HEADER_DIGEST_MISMATCH,
            "header digest mismatch: received 0x%08x, computed 0x%08x"
                .formatted(received, expected));
      }
    }
    state = State.READ_DATA;
    return true;
  }

  private void readData(ByteBuf in, List<Object> out) {
    boolean digest = pduDataDigest && dataLength > 0;
    int padded = Bhs.padded(dataLength);
    if (in.readableBytes() < padded + (digest ? DIGEST_LENGTH : 0)) {
      if (!placementAsked && !pduDataDigest) {
        startPlacement(in, out);
      }
      return;
    }
    int start = in.readerIndex();
    boolean digestMatches = true;
    String digestProblem = null;
    if (digest) {
      // The digest covers the pad bytes as sent, so compute it over the stream itself.
      int expected = crc.reset().update(in, start, padded).value();
      int received = in.getIntLE(start + padded);
      digestMatches = received == expected;
      if (!digestMatches) {
        digestProblem =
            "data digest mismatch: received 0x%08x, computed 0x%08x".formatted(received, expected);
      }
    }
    ByteBuf data =
        dataLength == 0 || !digestMatches
            ? Unpooled.EMPTY_BUFFER
            : in.retainedSlice(start, dataLength);
    in.skipBytes(padded + (digest ? DIGEST_LENGTH : 0));
    ByteBuf header = bhs;
    ByteBuf extra = ahs;
    bhs = null;
    ahs = null;
    state = State.READ_BHS;
    try {
      out.add(
          digestMatches
              ? PduFactory.decode(header, extra, data)
              : PduFactory.invalid(header, digestProblem, RejectReason.DATA_DIGEST_ERROR));
    } finally {
      extra.release();
    }
  }

  /**
   * Asks the session, once per PDU, where a large Data-Out's segment or a large write command's
   * immediate data goes; if it names a buffer, copies what already came and reads the rest straight
   * into it.
   */
  private void startPlacement(ByteBuf in, List<Object> out) {
    placementAsked = true;
    DataPlacement.Placer where = placer;
    if (where == null
        || placement == null
        || dataLength < MIN_PLACED_LENGTH
        || dataLength != Bhs.padded(dataLength)) {
      return;
    }
    int opcode = bhs.getUnsignedByte(0) & Bhs.OPCODE_MASK;
    int itt = bhs.getInt(Bhs.ITT_OFFSET);
    ByteBuf target;
    if (opcode == Opcode.DATA_OUT.value()) {
      // Target Transfer Tag at 20, DataSN at 36, Buffer Offset at 40 (RFC 7143 section 11.7).
      target = where.place(itt, bhs.getInt(20), bhs.getInt(36), bhs.getInt(40), dataLength);
    } else if (opcode == Opcode.SCSI_COMMAND.value() && ScsiCommand.writeFlag(bhs)) {
      // Expected Data Transfer Length at 20 (RFC 7143 section 11.3).
      target = where.placeImmediateData(itt, bhs.getInt(20), dataLength);
    } else {
      return;
    }
    if (target == null) {
      return;
    }
    placed = target;
    state = State.PLACE_DATA;
    placement.start(target);
    placeData(in, out);
  }

  private void placeData(ByteBuf in, List<Object> out) {
    if (!placement.arrived(in)) {
      // Bytes read into another buffer (the header's read, or a test's): copied into place.
      placed.writeBytes(in, Math.min(in.readableBytes(), placed.writableBytes()));
    }
    if (placed.isWritable()) {
      return;
    }
    placement.stop(Bhs.LENGTH + (headerDigest ? DIGEST_LENGTH : 0));
    ByteBuf header = bhs;
    ByteBuf extra = ahs;
    ByteBuf data = placed;
    bhs = null;
    ahs = null;
    placed = null;
    state = State.READ_BHS;
    try {
      out.add(PduFactory.decode(header, extra, data));
    } finally {
      extra.release();
    }
  }

  private PduFramingException framingLost(
      ByteBuf in, PduFramingException.Kind kind, String message) {
    releaseHeld();
    state = State.BAD_PDU;
    in.skipBytes(in.readableBytes());
    return new PduFramingException(kind, message);
  }

  private void releaseHeld() {
    if (bhs != null) {
      bhs.release();
      bhs = null;
    }
    if (ahs != null) {
      ahs.release();
      ahs = null;
    }
    if (placed != null) {
      placed.release();
      placed = null;
      placement.stop(0);
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    releaseHeld();
  }
}
