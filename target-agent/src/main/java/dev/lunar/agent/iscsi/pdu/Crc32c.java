package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C header and data digests (RFC 7143 section 13.1). On the wire the 32-bit result travels
 * least significant byte first (RFC 3720 appendix B.4 shows 32 zero bytes giving bytes {@code aa 36
 * 91 8a}, the value 0x8a9136aa), so callers read and write it with {@code getIntLE}/{@code
 * writeIntLE}.
 */
final class Crc32c {

  private static final byte[] PAD = new byte[3];

  private final CRC32C crc = new CRC32C();

  /** Starts a new digest. */
  Crc32c reset() {
    crc.reset();
    return this;
  }

  /** Adds {@code length} bytes of {@code buf} from {@code index}, without moving its indexes. */
  Crc32c update(ByteBuf buf, int index, int length) {
    if (length == 0) {
      return this;
    }
    if (buf.hasArray()) {
      crc.update(buf.array(), buf.arrayOffset() + index, length);
    } else if (buf.nioBufferCount() == 1) {
      crc.update(buf.nioBuffer(index, length));
    } else {
      for (ByteBuffer part : buf.nioBuffers(index, length)) {
        crc.update(part);
      }
    }
    return this;
  }

  /** Adds the readable bytes of {@code buf}. */
  Crc32c update(ByteBuf buf) {
    return update(buf, buf.readerIndex(), buf.readableBytes());
  }

  /** Adds the zero padding that follows a segment of {@code length} bytes. */
  Crc32c updatePadding(int length) {
    crc.update(PAD, 0, Bhs.padded(length) - length);
    return this;
  }

  int value() {
    return (int) crc.getValue();
  }
}
