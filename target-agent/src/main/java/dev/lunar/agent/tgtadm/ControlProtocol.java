package dev.lunar.agent.tgtadm;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The control channel's wire format. One request and one reply per connection, each a frame:
 *
 * <pre>
 * +------------------------+---------------------------+
 * | length (4 bytes, BE)   | body (length bytes UTF-8) |
 * +------------------------+---------------------------+
 * </pre>
 *
 * A request body is {@code key=value} lines, {@code mode} and {@code op} first, the options after;
 * a backslash and a newline in a value are written {@code \\} and {@code \n}. A reply body is the
 * {@link TgtadmError} code in decimal, a newline, then the output verbatim. Frame lengths are
 * checked before anything is buffered.
 */
public final class ControlProtocol {

  public static final int MAX_REQUEST = 64 * 1024;
  public static final int MAX_REPLY = 16 * 1024 * 1024;

  private ControlProtocol() {}

  public static byte[] encodeRequest(TgtadmRequest request) {
    StringBuilder body = new StringBuilder();
    line(body, "mode", request.mode());
    line(body, "op", request.op());
    request.options().forEach((k, v) -> line(body, k, v));
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void line(StringBuilder body, String key, String value) {
    body.append(key).append('=');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> body.append("\\\\");
        case '\n' -> body.append("\\n");
        default -> body.append(c);
      }
    }
    body.append('\n');
  }

  public static TgtadmRequest decodeRequest(byte[] frame) throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : new String(frame, StandardCharsets.UTF_8).split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new IOException("malformed control request line");
      }
      fields.put(line.substring(0, eq), unescape(line.substring(eq + 1)));
    }
    String mode = fields.remove("mode");
    String op = fields.remove("op");
    if (mode == null || op == null) {
      throw new IOException("control request without mode or op");
    }
    return new TgtadmRequest(mode, op, fields);
  }

  private static String unescape(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) {
        char next = value.charAt(++i);
        out.append(next == 'n' ? '\n' : next);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  public static byte[] encodeReply(TgtadmReply reply) {
    return (reply.error().code() + "\n" + reply.output()).getBytes(StandardCharsets.UTF_8);
  }

  public static TgtadmReply decodeReply(byte[] frame) throws IOException {
    String body = new String(frame, StandardCharsets.UTF_8);
    int newline = body.indexOf('\n');
    if (newline <= 0) {
      throw new IOException("malformed control reply");
    }
    try {
      int code = Integer.parseInt(body.substring(0, newline));
      return new TgtadmReply(TgtadmError.valueOf(code), body.substring(newline + 1));
    } catch (NumberFormatException e) {
      throw new IOException("malformed control reply code", e);
    }
  }

  public static void writeFrame(WritableByteChannel channel, byte[] body) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  public static byte[] readFrame(ReadableByteChannel channel, int maxLength) throws IOException {
    ByteBuffer header = readFully(channel, ByteBuffer.allocate(4));
    int length = header.flip().getInt();
    if (length < 0 || length > maxLength) {
      throw new IOException("control frame of " + length + " bytes exceeds " + maxLength);
    }
    return readFully(channel, ByteBuffer.allocate(length)).array();
  }

  private static ByteBuffer readFully(ReadableByteChannel channel, ByteBuffer buffer)
      throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new EOFException("control channel closed mid-frame");
      }
    }
    return buffer;
  }
}
