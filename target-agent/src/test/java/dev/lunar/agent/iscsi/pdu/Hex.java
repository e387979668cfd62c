package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Builds test buffers from hex written with free spacing and comments after {@code //}. */
final class Hex {

  private Hex() {}

  static byte[] bytes(String hex) {
    StringBuilder digits = new StringBuilder();
    for (String line : hex.split("\n")) {
      int comment = line.indexOf("//");
      digits.append((comment >= 0 ? line.substring(0, comment) : line).replaceAll("\\s", ""));
    }
    return ByteBufUtil.decodeHexDump(digits);
  }

  static ByteBuf buf(String hex) {
    return Unpooled.wrappedBuffer(bytes(hex));
  }

  static ByteBuf ascii(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
  }

  static String dump(ByteBuf buf) {
    return ByteBufUtil.hexDump(buf);
  }
}
