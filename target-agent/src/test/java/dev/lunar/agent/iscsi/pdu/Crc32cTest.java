package dev.lunar.agent.iscsi.pdu;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** CRC32C against the examples of RFC 3720 appendix B.4, including their on-wire byte order. */
class Crc32cTest {

  private static int crcOf(byte[] bytes) {
    return new Crc32c().update(Unpooled.wrappedBuffer(bytes)).value();
  }

  private static String onWire(int crc) {
    ByteBuf out = Unpooled.buffer(4).writeIntLE(crc);
    return Hex.dump(out);
  }

  @Test
  void thirtyTwoZeroBytes() {
    int crc = crcOf(new byte[32]);
    assertThat(crc).isEqualTo(0x8a9136aa);
    assertThat(onWire(crc)).isEqualTo("aa36918a");
  }

  @Test
  void thirtyTwoOnesBytes() {
    byte[] ones = new byte[32];
    java.util.Arrays.fill(ones, (byte) 0xff);
    assertThat(crcOf(ones)).isEqualTo(0x62a8ab43);
    assertThat(onWire(crcOf(ones))).isEqualTo("43aba862");
  }

  @Test
  void thirtyTwoIncrementingBytes() {
    byte[] up = new byte[32];
    for (int i = 0; i < 32; i++) {
      up[i] = (byte) i;
    }
    assertThat(crcOf(up)).isEqualTo(0x46dd794e);
  }

  @Test
  void thirtyTwoDecrementingBytes() {
    byte[] down = new byte[32];
    for (int i = 0; i < 32; i++) {
      down[i] = (byte) (31 - i);
    }
    assertThat(crcOf(down)).isEqualTo(0x113fdb5c);
  }

  @Test
  void sameResultForHeapDirectAndCompositeBuffers() {
    byte[] bytes = Hex.bytes("0102030405060708090a0b0c0d0e0f10");
    int heap = crcOf(bytes);
    ByteBuf direct = Unpooled.directBuffer(16).writeBytes(bytes);
    ByteBuf composite =
        Unpooled.wrappedBuffer(
            Unpooled.wrappedBuffer(bytes, 0, 5), Unpooled.wrappedBuffer(bytes, 5, 11));
    try {
      assertThat(new Crc32c().update(direct).value()).isEqualTo(heap);
      assertThat(new Crc32c().update(composite).value()).isEqualTo(heap);
    } finally {
      direct.release();
      composite.release();
    }
  }

  @Test
  void paddingCountsAsZeroBytes() {
    byte[] five = Hex.bytes("0102030405");
    byte[] eight = Hex.bytes("0102030405000000");
    int padded = new Crc32c().update(Unpooled.wrappedBuffer(five)).updatePadding(5).value();
    assertThat(padded).isEqualTo(crcOf(eight));
  }
}
