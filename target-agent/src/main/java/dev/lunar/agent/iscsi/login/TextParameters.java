package dev.lunar.agent.iscsi.login;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The text format of Login and Text data segments (RFC 7143 6.1): a sequence of UTF-8 {@code
 * key=value} pairs, each terminated by one NUL byte. Also the value grammars of 6.1: numbers
 * (decimal or {@code 0x} hex), booleans ({@code Yes}/{@code No}), comma lists and binary values
 * ({@code 0x} hex or {@code 0b} base64).
 */
public final class TextParameters {

  /** Longest key name in bytes (RFC 7143 6.1). */
  public static final int MAX_KEY_BYTES = 63;

  /** Longest ordinary value in bytes (RFC 7143 6.1). */
  public static final int MAX_VALUE_BYTES = 255;

  /**
   * Longest value of an authentication key (CHAP_*, SRP_*, ...): their binary values are up to 1024
   * bytes before hex or base64 encoding, so the text may be much longer than 255 bytes.
   */
  public static final int MAX_LONG_VALUE_BYTES = 8192;

  /** A sensible bound for one login request's text, all PDUs of a C-bit sequence joined. */
  public static final int DEFAULT_MAX_TOTAL_BYTES = 65536;

  private static final String LONG_VALUE_PREFIXES = "CHAP_ SRP_ KRB_ SPKM_";

  private TextParameters() {}

  /**
   * Parses a whole data segment. A zero-length tail (padding NULs) is ignored.
   *
   * @throws LoginException initiator error (0x0200) for text longer than {@code maxTotalBytes}, a
   *     pair without NUL, '=' or key, bad UTF-8, an over-long key or value, or a key given twice
   */
  public static List<TextParameter> parse(byte[] data, int maxTotalBytes) throws LoginException {
    return parse(data, 0, data.length, maxTotalBytes);
  }

  /** Parses {@code length} bytes of {@code data} from {@code offset}; see {@link #parse}. */
  public static List<TextParameter> parse(byte[] data, int offset, int length, int maxTotalBytes)
      throws LoginException {
    if (length > maxTotalBytes) {
      throw malformed("text of " + length + " bytes exceeds the limit of " + maxTotalBytes);
    }
    List<TextParameter> result = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int end = offset + length;
    int start = offset;
    while (start < end) {
      int nul = indexOf(data, (byte) 0, start, end);
      if (nul < 0) {
        throw malformed("text does not end with a NUL byte");
      }
      if (nul == start) {
        start++; // padding or an empty pair: nothing to parse
        continue;
      }
      int eq = indexOf(data, (byte) '=', start, nul);
      if (eq < 0) {
        throw malformed("key without '='");
      }
      if (eq == start) {
        throw malformed("empty key name");
      }
      if (eq - start > MAX_KEY_BYTES) {
        throw malformed("key name longer than " + MAX_KEY_BYTES + " bytes");
      }
      String key = decode(data, start, eq - start);
      if (!validKeyName(key)) {
        throw malformed("invalid key name");
      }
      int valueBytes = nul - eq - 1;
      int limit = maxValueBytes(key);
      if (valueBytes > limit) {
        throw malformed("value of " + key + " longer than " + limit + " bytes");
      }
      String value = decode(data, eq + 1, valueBytes);
      if (!seen.add(key)) {
        // RFC 7143 6.2: a key may be declared or negotiated once; repeating it is a protocol error.
        throw malformed("key " + key + " given twice");
      }
      result.add(new TextParameter(key, value));
      start = nul + 1;
    }
    return List.copyOf(result);
  }

  /** Formats pairs as a data segment: {@code key=value} and a NUL after each. */
  public static byte[] format(List<TextParameter> parameters) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (TextParameter p : parameters) {
      out.writeBytes(p.key().getBytes(StandardCharsets.UTF_8));
      out.write('=');
      out.writeBytes(p.value().getBytes(StandardCharsets.UTF_8));
      out.write(0);
    }
    return out.toByteArray();
  }

  /** The value length limit for {@code key}: 8192 bytes for authentication keys, else 255. */
  public static int maxValueBytes(String key) {
    int underscore = key.indexOf('_');
    if (underscore > 0 && LONG_VALUE_PREFIXES.contains(key.substring(0, underscore + 1))) {
      return MAX_LONG_VALUE_BYTES;
    }
    return MAX_VALUE_BYTES;
  }

  /**
   * Parses an unsigned numerical value: decimal, or hex with a {@code 0x}/{@code 0X} prefix, at
   * most 64 bits.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static long parseNumber(String value) {
    try {
      if (value.startsWith("0x") || value.startsWith("0X")) {
        String digits = value.substring(2);
        if (digits.isEmpty() || digits.length() > 16) {
          throw new IllegalArgumentException("bad hex number");
        }
        return Long.parseUnsignedLong(digits, 16);
      }
      if (value.isEmpty() || value.length() > 20 || !value.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("bad decimal number");
      }
      return Long.parseUnsignedLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad number", e);
    }
  }

  /**
   * Parses {@code Yes} or {@code No} (case-sensitive as RFC 7143 6.1 spells them).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static boolean parseBoolean(String value) {
    return switch (value) {
      case "Yes" -> true;
      case "No" -> false;
      default -> throw new IllegalArgumentException("not Yes or No");
    };
  }

  /** Formats a boolean as {@code Yes} or {@code No}. */
  public static String formatBoolean(boolean value) {
    return value ? "Yes" : "No";
  }

  /**
   * Splits a comma list; empty elements are invalid.
   *
   * @throws IllegalArgumentException for an empty list or element
   */
  public static List<String> parseList(String value) {
    List<String> items = List.of(value.split(",", -1));
    if (items.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("empty list element");
    }
    return items;
  }

  /**
   * Decodes a binary value: {@code 0x} hex (an odd digit count means a leading zero nibble) or
   * {@code 0b} base64, at most {@code maxBytes} bytes decoded.
   *
   * @throws IllegalArgumentException for a bad encoding or an over-long value
   */
  public static byte[] parseBinary(String value, int maxBytes) {
    if (value.length() < 3) {
      throw new IllegalArgumentException("binary value too short");
    }
    String prefix = value.substring(0, 2);
    String body = value.substring(2);
    byte[] bytes;
    if (prefix.equals("0x") || prefix.equals("0X")) {
      if (body.length() > 2 * maxBytes + 1) {
        throw new IllegalArgumentException("binary value too long");
      }
      bytes = HexFormat.of().parseHex(body.length() % 2 == 0 ? body : "0" + body);
    } else if (prefix.equals("0b") || prefix.equals("0B")) {
      if (body.length() > 4 * ((maxBytes + 2) / 3)) {
        throw new IllegalArgumentException("binary value too long");
      }
      bytes = Base64.getDecoder().decode(body);
    } else {
      throw new IllegalArgumentException("binary value needs a 0x or 0b prefix");
    }
    if (bytes.length == 0 || bytes.length > maxBytes) {
      throw new IllegalArgumentException("binary value of " + bytes.length + " bytes");
    }
    return bytes;
  }

  /** Formats bytes as a {@code 0x} hex binary value. */
  public static String formatHex(byte[] bytes) {
    return "0x" + HexFormat.of().formatHex(bytes);
  }

  private static boolean validKeyName(String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '-'
              || c == '+'
              || c == '@'
              || c == '_'
              || c == '#';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String decode(byte[] data, int offset, int length) throws LoginException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw malformed("text is not valid UTF-8");
    }
  }

  private static int indexOf(byte[] data, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static LoginException malformed(String message) {
    return LoginStatus.INITIATOR_ERROR.exception("malformed text: " + message);
  }
}
