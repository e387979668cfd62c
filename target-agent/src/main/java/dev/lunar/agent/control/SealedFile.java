package dev.lunar.agent.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A text file that carries its own checksum as a last line {@code # lunar-state sha256 HEX}, a YAML
 * comment, so the file stays plain YAML. A file cut short by a crash loses that line, and one
 * changed in the middle no longer matches it: either way the reader learns the file is not what was
 * written, where YAML alone would often accept the torn text (a truncated scalar is still a scalar)
 * and restore a wrong configuration without a word.
 */
final class SealedFile {

  static final String CHECKSUM_PREFIX = "# lunar-state sha256 ";

  private SealedFile() {}

  /** {@code text}, ended by a newline, plus its checksum line. */
  static String seal(String text) {
    String body = text.endsWith("\n") ? text : text + "\n";
    return body + CHECKSUM_PREFIX + sha256(body) + "\n";
  }

  /**
   * The text of a sealed file without its checksum line.
   *
   * @throws ConfigException naming the file when it cannot be read, has no checksum line, or does
   *     not match it
   */
  static String read(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
    int at = text.lastIndexOf(CHECKSUM_PREFIX);
    if (at < 0 || (at > 0 && text.charAt(at - 1) != '\n')) {
      throw new ConfigException(
          file + ": no checksum line: the file is torn (cut short) or was not written by Lunar");
    }
    String body = text.substring(0, at);
    String recorded = text.substring(at + CHECKSUM_PREFIX.length()).strip();
    if (!recorded.equals(sha256(body))) {
      throw new ConfigException(
          file
              + ": checksum mismatch: the file is torn or was edited by hand (a hand-written"
              + " configuration belongs in --config)");
    }
    return body;
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
