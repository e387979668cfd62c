package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes {@link Pdu}s in iSCSI wire order (RFC 7143 section 11.1): BHS · AHS · header digest · data
 * segment · 0-3 zero pad bytes · data digest (digests CRC32C, least significant byte first, the
 * data digest only when the segment is not empty).
 *
 * <p>Each PDU leaves as one composite buffer whose middle component is the PDU's own data buffer,
 * so the data segment is never copied. The encoder takes ownership of that buffer and releases it
 * once written (or when encoding fails). The digest setters take effect at the next PDU.
 *
 * <p>A Data-In whose read data is a file region leaves as its header followed by the region, which
 * the channel sends from the file ({@code sendfile} on the native transports); no data digest can
 * be computed over such a region, so the sender must not make one while digests are on.
 */
public final class PduEncoder extends MessageToMessageEncoder<Pdu> {

  private static final int DIGEST_LENGTH = 4;

  private volatile boolean headerDigest;
  private volatile boolean dataDigest;
  private final Crc32c crc = new Crc32c();

  public PduEncoder() {
    super(Pdu.class);
  }

  /** Appends a CRC32C header digest from the next PDU on. */
  public void headerDigest(boolean enabled) {
    headerDigest = enabled;
  }

  /** Appends a CRC32C data digest from the next PDU on. */
  public void dataDigest(boolean enabled) {
    dataDigest = enabled;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Pdu pdu, List<Object> out) {
    if (pdu instanceof DataIn dataIn && dataIn.file() != null) {
      encodeFromFile(ctx, dataIn, out);
      return;
    }
    ByteBuf data = pdu.data();
    if (pdu instanceof InvalidPdu) {
      data.release();
      throw new EncoderException("InvalidPdu is decode-only: " + pdu);
    }
    ByteBuf header = null;
    ByteBuf trailer = null;
    try {
      header = ctx.alloc().buffer(Bhs.LENGTH + pdu.ahsLength() + DIGEST_LENGTH);
      pdu.writeBhs(header);
      pdu.writeAhs(header);
      if (headerDigest) {
        header.writeIntLE(crc.reset().update(header).value());
      }
      int dataLength = data.readableBytes();
      if (dataLength == 0) {
        data.release();
        out.add(header);
        return;
      }
      int pad = Bhs.padded(dataLength) - dataLength;
      boolean digest = dataDigest;
      CompositeByteBuf frame = ctx.alloc().compositeBuffer(3);
      if (pad == 0 && !digest) {
        // The usual case (whole blocks, no digest): no trailer to allocate.
        frame.addComponents(true, header, data);
        out.add(frame);
        return;
      }
      trailer = ctx.alloc().buffer(pad + DIGEST_LENGTH).writeZero(pad);
      if (digest) {
        trailer.writeIntLE(crc.reset().update(data).updatePadding(dataLength).value());
      }
      frame.addComponents(true, header, data, trailer);
      out.add(frame);
    } catch (RuntimeException e) {
      release(header);
      release(trailer);
      data.release();
      throw e;
    }
  }

  private void encodeFromFile(ChannelHandlerContext ctx, DataIn pdu, List<Object> out) {
    FileRegion file = pdu.file();
    if (dataDigest) {
      pdu.release();
      throw new EncoderException("no data digest over a file region: " + pdu);
    }
    ByteBuf header = null;
    try {
      int pad = Bhs.padded(pdu.dataLength()) - pdu.dataLength();
      header = ctx.alloc().buffer(Bhs.LENGTH + DIGEST_LENGTH);
      pdu.writeBhs(header);
      if (headerDigest) {
        header.writeIntLE(crc.reset().update(header).value());
      }
      out.add(header);
      header = null;
      out.add(file);
      if (pad > 0) {
        out.add(ctx.alloc().buffer(pad).writeZero(pad));
      }
    } catch (RuntimeException e) {
      release(header);
      if (!out.contains(file)) {
        file.release();
      }
      throw e;
    }
  }

  private static void release(ByteBuf buf) {
    if (buf != null) {
      buf.release();
    }
  }
}
